// The parts of @logitlab/native and @tensorflow/tfjs-backend-cpu the native backend uses. Neither optional
// package is imported at run time (the Node adapter loads both lazily); @logitlab/native's types are imported
// type-only, which the build erases, so they are not duplicated here.
import type * as Native from '@logitlab/native';
import type { BackendValues, DataId, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

export type NativeAddon = Native.NativeAddon;

/** @logitlab/native's entry, as the Node adapter's dynamic import gives it (an older one may lack GRAD: then the stock gradients run). */
export type NativeModule = Pick<typeof Native, 'loadNative' | 'ACTIVATIONS' | 'BINARY' | 'UNARY' | 'COMPARE' | 'APT_INSTALL'> &
  Partial<Pick<typeof Native, 'GRAD'>>;

/** What our kernels need of tfjs-backend-cpu's MathBackendCPU (the native backend is a subclass). */
export interface CpuLikeBackend extends KernelBackend {
  data: { get(dataId: DataId): { values?: unknown }; has(dataId: DataId): boolean };
  makeTensorInfo(shape: number[], dtype: 'float32' | 'bool', values: Float32Array | Uint8Array): TensorInfo;
  write(values: BackendValues, shape: number[], dtype: DataType): DataId;
  move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void;
  readSync(dataId: DataId): BackendValues;
  read(dataId: DataId): Promise<BackendValues>;
  disposeData(dataId: DataId, force?: boolean): boolean;
  /** The native backend's output-buffer pool (absent on a plain cpu backend). */
  pool?: { take(n: number): Float32Array; pinned(values: ArrayBufferView): boolean };
}

/** @tensorflow/tfjs-backend-cpu's entry. */
export interface CpuModule {
  MathBackendCPU: new () => CpuLikeBackend;
}
