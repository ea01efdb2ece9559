// The parts of @logitlab/native and @tensorflow/tfjs-backend-cpu the native backend uses, typed here so
// neither optional package is imported statically (both are loaded lazily by the Node adapter).
import type { BackendValues, DataId, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

export interface NativeAddon {
  conv2dForward(
    geom: Int32Array,
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    activation: number,
    alpha: number,
  ): void;
  conv2dBackwardData(geom: Int32Array, dy: Float32Array, filter: Float32Array, dx: Float32Array): void;
  conv2dBackwardFilter(geom: Int32Array, x: Float32Array, dy: Float32Array, dw: Float32Array): void;
  matMul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    batchA: number,
    batchB: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    bias: Float32Array | null,
    activation: number,
    alpha: number,
  ): void;
  maxPool(geom: Int32Array, x: Float32Array, y: Float32Array): void;
  maxPoolGrad(geom: Int32Array, x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** out = a (op) b with numpy broadcasting; codes in BINARY. */
  binary(
    op: number,
    a: Float32Array,
    aShape: Int32Array,
    b: Float32Array,
    bShape: Int32Array,
    out: Float32Array,
    outShape: Int32Array,
  ): void;
  /** out = a (cmp) b as 0/1 bytes with broadcasting; codes in COMPARE. */
  compare(
    op: number,
    a: Float32Array,
    aShape: Int32Array,
    b: Float32Array,
    bShape: Int32Array,
    out: Uint8Array,
    outShape: Int32Array,
  ): void;
  /** y = op(x) elementwise; codes in UNARY; alpha is Step's value for x <= 0. */
  unary(op: number, x: Float32Array, y: Float32Array, alpha: number): void;
  /** out = the stock tfjs gradient (codes in GRAD) for upstream dy; a = saved output or input, b = the other input. */
  gradOp(op: number, dy: Float32Array, a: Float32Array, b: Float32Array | null, out: Float32Array): void;
  /** out = add + (x - sub) * mul per channel (the last axis), in doubles then float32; one Float64Array entry per channel. */
  batchNorm(x: Float32Array, out: Float32Array, mul: Float64Array, sub: Float64Array, add: Float64Array): void;
  /** x viewed as [outer, reduced, inner] summed over the middle axis, times scale (1 / reduced for a mean). */
  reduceSum(x: Float32Array, out: Float32Array, outer: number, reduced: number, inner: number, scale: number): void;
  /** out = x transposed by perm (output axis i is input axis perm[i]). */
  transpose(x: Float32Array, shape: Int32Array, perm: Int32Array, out: Float32Array): void;
  /** out = x repeated reps[i] times along axis i. */
  tile(x: Float32Array, shape: Int32Array, reps: Int32Array, out: Float32Array): void;
  setThreads(threads: number): void;
  info(): { dnnl: string; openblas: string; threads: number };
}

/** @logitlab/native's entry. */
export interface NativeModule {
  loadNative(): { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string; fix: string };
  ACTIVATIONS: Record<string, number>;
  BINARY: Record<string, number>;
  UNARY: Record<string, number>;
  COMPARE?: Record<string, number>;
  /** Absent in an addon built before the fused gradients: then the stock gradients run. */
  GRAD?: Record<string, number>;
  APT_INSTALL: string;
}

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
  pool?: { take(n: number): Float32Array };
}

/** @tensorflow/tfjs-backend-cpu's entry. */
export interface CpuModule {
  MathBackendCPU: new () => CpuLikeBackend;
}
