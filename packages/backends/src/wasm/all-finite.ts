// Whether every element of a float32 wasm tensor is finite: one JS pass over its heap bytes with a branch that is
// almost never taken. Measured on a fresh [64, 28, 28, 16] activation each call (1 thread; the stock Relu takes
// ~0.2 ms there): this ~0.75 ms; a stock Sum (a serial loop) ~0.5 ms plus a temporary; a GEMM of a row of ones
// times the tensor ~2.5 ms (XNNPACK packs its right operand into a cached operator, anew for each fresh tensor);
// the tensor times a column of ones ~0.45 ms, but ~45 us of fixed cost that a [64, 128] activation (5 us) pays too.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-util';

export function allFinite(backend: WasmBackendLike, x: TensorInfo): boolean {
  const a = backend.typedArrayFromHeap(x);
  // v - v is 0 for every finite v, NaN for NaN and both infinities
  for (let i = 0; i < a.length; i++) if (a[i]! - a[i]! !== 0) return false;
  return true;
}
