// The 'native' tfjs backend: tfjs-backend-cpu's MathBackendCPU (its TypedArray storage and every one of
// its kernels) with the hot kernels replaced by the addon's. Each native kernel handles the float32,
// NHWC cases it can and hands everything else to the cpu kernel it replaces, so no op is lost.
import { getKernel, getKernelsForBackend, registerBackend, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { elementwiseKernels } from './elementwise';
import { nativeKernels } from './kernels';
import type { CpuModule, NativeAddon, NativeModule } from './types';

export const NATIVE_BACKEND = 'native';
// below cpu (1) and wasm (2): tfjs must never pick it on its own
const PRIORITY = 0;

let registered = false;

/** Registers the 'native' backend and its kernels once; later calls only update the thread count. */
export function registerNativeBackend(cpu: CpuModule, native: NativeModule, addon: NativeAddon, threads: number): void {
  addon.setThreads(threads);
  if (registered) return;
  class NativeBackend extends cpu.MathBackendCPU {}
  registerBackend(NATIVE_BACKEND, () => new NativeBackend(), PRIORITY);
  for (const k of getKernelsForBackend('cpu')) {
    if (getKernel(k.kernelName, NATIVE_BACKEND) == null) registerKernel({ ...k, backendName: NATIVE_BACKEND });
  }
  const kernels = { ...nativeKernels(addon, native.ACTIVATIONS), ...elementwiseKernels(addon, native.BINARY, native.UNARY) };
  for (const [kernelName, make] of Object.entries(kernels)) {
    const stock: KernelConfig | undefined = getKernel(kernelName, 'cpu');
    const fallback: KernelFunc | undefined = stock?.kernelFunc;
    if (getKernel(kernelName, NATIVE_BACKEND) != null) unregisterKernel(kernelName, NATIVE_BACKEND);
    registerKernel({ kernelName, backendName: NATIVE_BACKEND, kernelFunc: make(fallback) as KernelFunc });
  }
  registered = true;
}
