// XNNPACK runs a conv with a 1x1 filter, one input and one output channel per group (a Conv2D of one channel, a
// depthwise conv of channel multiplier 1), stride 1 and no padding as a per-channel multiply-add (its vmulcaddc
// kernels), whose output clamp is a pseudo-max: max(-Inf, NaN) is -Inf, so NaN came out as -Infinity (0 after a
// fused relu or sigmoid) where cpu and PyTorch give NaN. Each output element there reads one input element,
// y = x * w[c] + b[c], so the fix is exact and local: when the input, the filter or the bias holds a non-finite value
// (one JS pass over each, the only cost on the common path: all-finite.ts), every element whose multiply-add is NaN is set to NaN
// after the stock kernel. Every fused activation keeps NaN, so that is the whole correction; infinities pass the
// clamp unchanged. Other convs (GEMM and window paths) keep NaN in the stock kernels, and a kernel without a filter
// (the fused matMul) passes straight through.
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { asKernelFunc } from './kernel-util';
import type { KernelArgs } from './kernel-util';
import { allFinite } from './all-finite';

type View = ArrayLike<number>;

const ones = (v: unknown) => (Array.isArray(v) ? v.every((e) => e === 1) : v === 1 || v === undefined);

/** Whether XNNPACK ran this conv as a per-channel multiply-add: output element i read input element i only. */
function isMultiplyAdd(x: TensorInfo | undefined, filter: TensorInfo | undefined, out: TensorInfo, attrs: NamedAttrMap): boolean {
  if (x === undefined || filter === undefined || x.dtype !== 'float32' || x.shape.length !== 4) return false;
  if ((attrs['dataFormat'] ?? 'NHWC') !== 'NHWC' || !ones(attrs['strides'])) return false;
  const [kh, kw, , perGroup] = filter.shape;
  // one output channel per input channel and the input's own height and width: stride 1, no padding
  return kh === 1 && kw === 1 && perGroup === 1 && out.shape.every((d, i) => d === x.shape[i]);
}

/** `stock` with NaN restored where XNNPACK's multiply-add path clamped it to -Infinity. */
export function keepNanInMultiplyAddConv(stock: KernelFunc): KernelFunc {
  return asKernelFunc((args: KernelArgs) => {
    const out = stock(args as never) as TensorInfo;
    const { x, filter, bias } = args.inputs;
    if (!isMultiplyAdd(x, filter, out, args.attrs ?? {})) return out;
    if ([x!, filter!, bias].every((t) => t === undefined || allFinite(args.backend, t))) return out;
    // views taken after the kernels ran: they may have grown the heap, which detaches older views
    const w = args.backend.typedArrayFromHeap(filter!);
    const b: View = bias ? args.backend.typedArrayFromHeap(bias) : [0];
    const xs = args.backend.typedArrayFromHeap(x!);
    const ys = args.backend.typedArrayFromHeap(out);
    const channels = w.length;
    for (let i = 0; i < xs.length; i++) {
      // the float32 product, as the kernel and cpu round it, then the bias: NaN exactly where theirs is
      if (Number.isNaN(Math.fround(xs[i]! * w[i % channels]!) + b[i % b.length]!)) ys[i] = Number.NaN;
    }
    return out;
  });
}
