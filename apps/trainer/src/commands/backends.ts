import { listBackends, useBackend } from '@logitlab/backends';
import { quietTfjs } from '../backend';
import { markdownTable } from '../report';

/** The Debian packages the native backend builds against (g++ and make are assumed, as for any node-gyp build). */
export const NATIVE_APT_LINE = 'apt-get install libdnnl-dev libopenblas-dev';

/** `logitlab backends`: what is installed, whether it starts here, and what `auto` resolves to. */
export async function backendsCommand(): Promise<void> {
  quietTfjs();
  const all = await listBackends();
  const rows = all.map((b) => [b.name, b.installed ? 'yes' : 'no', b.works ? 'yes' : 'no', b.reason ?? '']);
  process.stdout.write(`${markdownTable(['backend', 'installed', 'works', 'note'], rows)}\n`);
  const native = all.find((b) => b.name === 'native');
  if (native && !native.works) {
    // the fast CPU path is one apt line away: say so plainly, not only inside the table
    process.stdout.write(`\nnative: unavailable: ${native.reason ?? 'unknown reason'}\n`);
    process.stdout.write(`native: to enable it: ${NATIVE_APT_LINE} && pnpm rebuild @logitlab/native\n`);
  }
  const auto = await useBackend('auto');
  process.stdout.write(
    `\nauto -> ${auto.name} (${auto.platform}, simd: ${auto.simd ? 'yes' : 'no'}, threads: ${auto.threads}, tfjs ${auto.version})\n`,
  );
}
