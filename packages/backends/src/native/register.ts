// The 'native' tfjs backend: tfjs-backend-cpu's MathBackendCPU (its TypedArray storage and every one of
// its kernels) with the hot kernels replaced by the addon's. Each native kernel handles the float32,
// NHWC cases it can and hands everything else to the cpu kernel it replaces, so no op is lost.
import { getKernel, getKernelsForBackend, registerBackend, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { BackendValues, DataId, DataType, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { batchNormKernel } from './batchnorm';
import { elementwiseKernels } from './elementwise';
import { fusedGradKernels } from './fused-grad';
import { nativeKernels } from './kernels';
import { BufferPool } from './pool';
import { splitV } from './split';
import { resizeNearestNeighborGrad } from './resize-grad';
import { quietBackend } from '../quiet-cpu';
import { registerPlanLowering } from '../compat/step-executor';
import { nativePlanLowering } from './plan/executor';
import type { CpuModule, NativeAddon, NativeModule } from './types';
import type { Fallback } from './kernel-util';

export const NATIVE_BACKEND = 'native';
// below cpu (1) and wasm (2): tfjs must never pick it on its own
const PRIORITY = 0;

let registered = false;

/** Registers the 'native' backend and its kernels once; later calls only update the thread count. */
export function registerNativeBackend(cpu: CpuModule, native: NativeModule, addon: NativeAddon, threads: number): void {
  addon.setThreads(threads);
  if (registered) return;
  // the cpu backend plus a pool of the native kernels' output buffers (see pool.ts for when reuse is safe)
  class NativeBackend extends cpu.MathBackendCPU {
    override readonly pool = new BufferPool();
    override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
      this.pool.stored(values);
      return super.write(values, shape, dtype);
    }
    override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
      this.pool.stored(values);
      super.move(dataId, values, shape, dtype, refCount);
    }
    override readSync(dataId: DataId): BackendValues {
      const values = super.readSync(dataId);
      this.pool.escaped(values);
      return values;
    }
    override async read(dataId: DataId): Promise<BackendValues> {
      const values = await super.read(dataId);
      this.pool.escaped(values);
      return values;
    }
    override disposeData(dataId: DataId, force?: boolean): boolean {
      const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
      const disposed = super.disposeData(dataId, force);
      if (!this.data.has(dataId)) this.pool.give(values);
      return disposed;
    }
  }
  // a MathBackendCPU prints tfjs-node's install banner on first use; quiet it as the cpu backend is
  registerBackend(NATIVE_BACKEND, () => quietBackend(new NativeBackend()), PRIORITY);
  for (const k of getKernelsForBackend('cpu')) {
    if (getKernel(k.kernelName, NATIVE_BACKEND) == null) registerKernel({ ...k, backendName: NATIVE_BACKEND });
  }
  const kernels = {
    ...nativeKernels(addon, native.ACTIVATIONS),
    ...elementwiseKernels(addon, native.BINARY, native.UNARY, native.COMPARE),
    FusedBatchNorm: (fallback: Fallback) => batchNormKernel(addon, fallback),
    SplitV: splitV,
    ResizeNearestNeighborGrad: resizeNearestNeighborGrad,
  };
  // kernels tfjs has no cpu version of: registered only where the addon has them
  const fusedGrads = native.GRAD ? fusedGradKernels(addon, native.GRAD) : {};
  for (const [kernelName, make] of Object.entries(fusedGrads)) {
    registerKernel({ kernelName, backendName: NATIVE_BACKEND, kernelFunc: make() as KernelFunc });
  }
  for (const [kernelName, make] of Object.entries(kernels)) {
    const stock: KernelConfig | undefined = getKernel(kernelName, 'cpu');
    const fallback: KernelFunc | undefined = stock?.kernelFunc;
    if (getKernel(kernelName, NATIVE_BACKEND) != null) unregisterKernel(kernelName, NATIVE_BACKEND);
    registerKernel({ kernelName, backendName: NATIVE_BACKEND, kernelFunc: make(fallback) as KernelFunc });
  }
  // compiled steps run in one addon call where the addon has the plan entry points (older builds: kernel by kernel)
  if (typeof addon.runPlan === 'function') registerPlanLowering(NATIVE_BACKEND, nativePlanLowering(addon, native));
  registered = true;
}
