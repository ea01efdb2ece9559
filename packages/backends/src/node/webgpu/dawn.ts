// Loading Dawn's Node binding (the optional `webgpu` package), and what `auto` makes of its adapter.
import { BackendNotInstalledError, BackendUnavailableError } from '../../errors';
import { BACKEND_PACKAGES } from '../../packages';
import { errorMessage, isModuleNotFound } from '../../platform';
import { adapterOrder, chooseAdapter, GL_PACKAGES } from './adapter-choice';
import type { DawnModule } from './dawn-types';
import { webgpuAdapterInfo } from './start';

const runtime = BACKEND_PACKAGES.webgpu.nodeRuntime!;

export async function importDawn(): Promise<DawnModule> {
  let mod: Partial<DawnModule>;
  try {
    // A variable specifier: bundlers must not try to resolve an optional package at build time.
    mod = (await import(/* @vite-ignore */ runtime.packageName)) as Partial<DawnModule>;
  } catch (error) {
    if (isModuleNotFound(error, runtime.packageName))
      throw new BackendNotInstalledError('webgpu', { cause: error, packageName: runtime.packageName });
    // dawn.node itself failed to load (a missing system library, another platform)
    throw new BackendUnavailableError(
      'webgpu',
      `loading ${runtime.packageName} (Dawn) failed: ${errorMessage(error)}; on Debian: apt-get install ${GL_PACKAGES}`,
      { cause: error },
    );
  }
  if (typeof mod.create !== 'function' || mod.globals == null) {
    throw new BackendUnavailableError('webgpu', `${runtime.packageName} has no create/globals exports (expected version 0.6.x)`);
  }
  return mod as DawnModule;
}

/**
 * `auto` takes webgpu only on a hardware adapter: llvmpipe and the like compute correctly but slower
 * than the CPU backends. Finding the adapter opens no device, so the backend can still start later.
 */
export async function webgpuAutoSkipReason(): Promise<string | undefined> {
  const info = webgpuAdapterInfo() ?? (await chooseAdapter(await importDawn(), adapterOrder(undefined))).info;
  return info.type === 'software' ? `its adapter is software (${info.name}); the CPU backends are faster` : undefined;
}
