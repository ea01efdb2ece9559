// Plumbing shared by the native kernels: zero-copy views of the cpu-style backend's storage, outputs in
// fresh Float32Arrays the backend then owns, and the fallback to the cpu kernel a native one replaces.
import { util } from '@tensorflow/tfjs-core';
import type { DataType, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { CpuLikeBackend } from './types';

export interface Args {
  inputs: NamedTensorInfoMap;
  backend: CpuLikeBackend;
  attrs?: NamedAttrMap;
}
export type Kernel = (args: Args) => TensorInfo;
export type Fallback = ((args: Args) => TensorInfo | TensorInfo[]) | undefined;

/** Thrown by a native kernel for arguments it does not handle: the cpu kernel runs instead. */
export class NotNative extends Error {}
// One instance, thrown again and again: a fresh Error captures a stack trace (~10 us), and tfjs's
// gradients send same-dtype Casts and other no-ops here many times a step.
export const NOT_NATIVE = new NotNative('not a native case');

export function f32(backend: CpuLikeBackend, t: TensorInfo | undefined): Float32Array {
  if (t === undefined || t.dtype !== 'float32') throw NOT_NATIVE;
  const values = backend.data.get(t.dataId).values;
  if (!(values instanceof Float32Array)) throw NOT_NATIVE;
  return values;
}

export function output(backend: CpuLikeBackend, shape: number[], fill: (out: Float32Array) => void): TensorInfo {
  const n = util.sizeFromShape(shape);
  // every native kernel writes its whole output, so a reused buffer's old contents never show
  const out = backend.pool ? backend.pool.take(n) : new Float32Array(n);
  fill(out);
  return backend.makeTensorInfo(shape, 'float32', out);
}

const allOf = (inputs: NamedTensorInfoMap, dtype: DataType) => Object.values(inputs).every((t) => t === undefined || t.dtype === dtype);

/**
 * Native when it can, else the cpu kernel (which also raises tfjs's own errors for bad arguments).
 * `dtype`: the one input dtype the addon's instruction declares (run-op.ts inputDtypes); other dtypes go straight
 * to the cpu kernel, without calling or throwing (an int32 counter's add took 8 us a call through the throw).
 */
export function withFallback(fallback: Fallback, name: string, native: Kernel, dtype?: DataType): Kernel {
  return (args) => {
    if (dtype && fallback && !allOf(args.inputs, dtype)) return fallback(args) as TensorInfo;
    try {
      return native(args);
    } catch (error) {
      if (!(error instanceof NotNative)) throw error;
      if (!fallback) throw new Error(`native ${name}: unsupported arguments and no cpu kernel to fall back to`, { cause: error });
      return fallback(args) as TensorInfo;
    }
  };
}
