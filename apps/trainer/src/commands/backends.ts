import { BACKEND_PACKAGES, listBackends, useBackend, type WebgpuAdapterInfo } from '@logitlab/backends';
import { quietTfjs } from '../backend';
import { markdownTable } from '../report';

/** The Debian packages the native backend builds against (g++ and make are assumed, as for any node-gyp build). */
export const NATIVE_APT_LINE = 'apt-get install libdnnl-dev libopenblas-dev';

/** `logitlab backends`: what is installed, whether it starts here, and what `auto` resolves to. */
export async function backendsCommand(): Promise<void> {
  quietTfjs();
  const all = await listBackends();
  const rows = all.map((b) => [b.name, b.installed ? 'yes' : 'no', b.works ? 'yes' : 'no', b.reason ?? adapterNote(b.adapter)]);
  process.stdout.write(`${markdownTable(['backend', 'installed', 'works', 'note'], rows)}\n`);
  const native = all.find((b) => b.name === 'native');
  if (native && !native.works) {
    // the fast CPU path is one apt line away: say so plainly, not only inside the table
    process.stdout.write(`\nnative: unavailable: ${native.reason ?? 'unknown reason'}\n`);
    process.stdout.write(`native: to enable it: ${NATIVE_APT_LINE} && pnpm rebuild @logitlab/native\n`);
  }
  const webgpu = all.find((b) => b.name === 'webgpu');
  if (webgpu && !webgpu.works) {
    process.stdout.write(`\nwebgpu: unavailable: ${webgpu.reason ?? 'unknown reason'}\n`);
    process.stdout.write(`webgpu: to enable it: ${BACKEND_PACKAGES.webgpu.nodeRuntime?.install ?? ''}\n`);
  } else if (webgpu?.adapter) {
    process.stdout.write(`\nwebgpu: adapter ${adapterNote(webgpu.adapter)}\n`);
  }
  const auto = await useBackend('auto');
  process.stdout.write(
    `\nauto -> ${auto.name} (${auto.platform}, simd: ${auto.simd ? 'yes' : 'no'}, threads: ${auto.threads}, tfjs ${auto.version})\n`,
  );
}

/** 'llvmpipe ..., OpenGL 4.5 ... (software, opengl, compatibility)'; a software adapter is for correctness, not speed. */
export function adapterNote(adapter: WebgpuAdapterInfo | undefined): string {
  if (!adapter) return '';
  const speed = adapter.type === 'software' ? '; correct but slower than the CPU backends' : '';
  return `${adapter.name} (${adapter.type}, ${adapter.api}, ${adapter.featureLevel}${speed})`;
}
