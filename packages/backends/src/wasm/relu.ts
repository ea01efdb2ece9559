// Relu for wasm that keeps every NaN, as cpu and PyTorch do: the stock kernel (XNNPACK's) compares the float bits as
// integers, so a NaN with its sign bit set (what Inf - Inf and 0 * Inf give on x86 and in wasm) became 0 while a NaN
// without it passed, and a fused relu runs this kernel too (see ../fused-activation-nan.ts). The stock kernel still
// does the work (SIMD); only where the input is not all finite does a scan write each input NaN back.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';
import { allFinite } from './all-finite';

export function makeRelu(stock: KernelFunc): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const out = stock(args as never) as TensorInfo;
    const x = args.inputs.x!;
    if (x.dtype !== 'float32' || allFinite(args.backend, x)) return out;
    // views taken after the kernels ran: they may have grown the heap, which detaches older views
    const src = args.backend.typedArrayFromHeap(x);
    const dst = args.backend.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) if (src[i] !== src[i]) dst[i] = src[i]!;
    return out;
  };
}
