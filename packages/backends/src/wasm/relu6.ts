// Relu6 for wasm that keeps NaN, as cpu and PyTorch do: the stock kernel clamps with XNNPACK's min/max,
// which return the bound for NaN, so relu6(NaN) was 0 (and a fused relu6 reads this kernel too, see
// ../fused-activation-nan.ts). A plain loop over the heap: relu6 is one compare per element.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';

export function relu6({ inputs, backend }: KernelArgs): TensorInfo {
  const x = inputs.x!;
  const out = backend.makeOutput([...x.shape], x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    // NaN fails both comparisons and is written as it is; max(-0, 0) is 0 on cpu, so -0 becomes 0
    dst[i] = v > 0 ? (v < 6 ? v : 6) : v <= 0 ? 0 : v;
  }
  return out;
}
