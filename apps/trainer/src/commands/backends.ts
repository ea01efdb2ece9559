import { listBackends, useBackend } from '@logitlab/backends';
import { quietTfjs } from '../backend';
import { markdownTable } from '../report';

/** `logitlab backends`: what is installed, whether it starts here, and what `auto` resolves to. */
export async function backendsCommand(): Promise<void> {
  quietTfjs();
  const all = await listBackends();
  const rows = all.map((b) => [b.name, b.installed ? 'yes' : 'no', b.works ? 'yes' : 'no', b.reason ?? '']);
  process.stdout.write(`${markdownTable(['backend', 'installed', 'works', 'note'], rows)}\n`);
  const auto = await useBackend('auto');
  process.stdout.write(`\nauto -> ${auto.name} (${auto.platform}, simd: ${auto.simd ? 'yes' : 'no'}, threads: ${auto.threads}, tfjs ${auto.version})\n`);
}
