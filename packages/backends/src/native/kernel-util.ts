// Plumbing shared by the native kernels: zero-copy views of the cpu-style backend's storage, outputs in
// fresh Float32Arrays the backend then owns, and the fallback to the cpu kernel a native one replaces.
import { util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
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

const allFloat32 = (inputs: NamedTensorInfoMap) => Object.values(inputs).every((t) => t === undefined || t.dtype === 'float32');

/**
 * Native when it can, else the cpu kernel (which also raises tfjs's own errors for bad arguments).
 * `float32Only`: other dtypes go straight to the cpu kernel, without the throw (an int32 counter's add
 * took 8 us a call through it).
 */
export function withFallback(fallback: Fallback, name: string, native: Kernel, float32Only = false): Kernel {
  return (args) => {
    if (float32Only && fallback && !allFloat32(args.inputs)) return fallback(args) as TensorInfo;
    try {
      return native(args);
    } catch (error) {
      if (!(error instanceof NotNative)) throw error;
      if (!fallback) throw new Error(`native ${name}: unsupported arguments and no cpu kernel to fall back to`, { cause: error });
      return fallback(args) as TensorInfo;
    }
  };
}
