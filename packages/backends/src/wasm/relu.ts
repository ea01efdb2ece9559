// Relu for wasm that keeps every NaN, as cpu and PyTorch do: the stock kernel (XNNPACK's) clamps with an integer
// max over the float bits, so a NaN with its sign bit set (what Inf - Inf and 0 * Inf produce on x86 and in wasm)
// became 0, and a fused relu reads this kernel too (see ../fused-activation-nan.ts). A plain loop over the heap, as
// relu6.ts: relu is one compare per element.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';

export function relu({ inputs, backend }: KernelArgs): TensorInfo {
  const x = inputs.x!;
  const out = backend.makeOutput([...x.shape], x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    // NaN fails both comparisons and is written as it is; -0 becomes 0 as on cpu (max(0, -0))
    dst[i] = v > 0 ? v : v <= 0 ? 0 : v;
  }
  return out;
}
