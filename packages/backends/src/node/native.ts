// Starts the 'native' backend in Node: the addon from @logitlab/native, over tfjs-backend-cpu's backend.
import { setBackend } from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../errors';
import { BACKEND_PACKAGES, installCommand } from '../packages';
import { errorMessage } from '../platform';
import { NATIVE_BACKEND, registerNativeBackend } from '../native/register';
import type { CpuModule, NativeModule } from '../native/types';

/** The addon calling convention our kernels speak (@logitlab/native's ADDON_ABI; 3: the one-call plan, native/plan/; 4: conv, matMul and max pool as one-instruction plans; 5: every eager kernel through runOp, native/run-op.ts). */
export const NATIVE_ABI = 5;

export async function startNativeBackend(
  mod: Record<string, unknown>,
  threads: number,
  importCpu: () => Promise<Record<string, unknown>>,
): Promise<{ started: boolean; threads: number }> {
  const native = mod as unknown as NativeModule;
  if (typeof native.loadNative !== 'function')
    throw new BackendUnavailableError('native', '@logitlab/native has no loadNative export (version mismatch?)');
  const loaded = native.loadNative();
  if (!loaded.ok) throw new BackendUnavailableError('native', `${loaded.reason}. Fix: ${loaded.fix}`);
  if (loaded.addon.abi !== NATIVE_ABI) {
    throw new BackendUnavailableError(
      'native',
      `@logitlab/native's addon speaks calling convention ${loaded.addon.abi ?? 1}, @logitlab/backends needs ${NATIVE_ABI}. Fix: install matching versions of both`,
    );
  }
  let cpu: CpuModule;
  try {
    cpu = (await importCpu()) as unknown as CpuModule;
  } catch (error) {
    const pkg = BACKEND_PACKAGES.cpu.packageName;
    throw new BackendUnavailableError(
      'native',
      `it builds on ${pkg}, which does not load (${errorMessage(error)}): ${installCommand(pkg)}`,
      { cause: error },
    );
  }
  const n = Math.max(1, Math.floor(threads));
  registerNativeBackend(cpu, native, loaded.addon, n);
  return { started: await setBackend(NATIVE_BACKEND), threads: n };
}
