// SplitV (the gradient of every concat, e.g. a UNet's skip connections). tfjs-cpu slices each piece
// through a TensorBuffer with an index computation per element: on the UNet's channel concat that was
// ~2.7 s of a 2.4 s-per-step profile (measured; wasm took 71 ms). Here each piece is copied in
// contiguous runs, one `set` per outer index.
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type Args, f32, NotNative, output } from './kernel-util';

type MultiFallback = ((args: Args) => TensorInfo | TensorInfo[]) | undefined;

export function splitV(fallback: MultiFallback): (args: Args) => TensorInfo | TensorInfo[] {
  return (args) => {
    try {
      return splitNative(args);
    } catch (error) {
      if (!(error instanceof NotNative) || !fallback) throw error;
      return fallback(args);
    }
  };
}

function splitNative({ inputs, backend, attrs }: Args): TensorInfo[] {
  const x = inputs.x!;
  const { numOrSizeSplits, axis } = attrs as { numOrSizeSplits: number[] | number; axis: number | number[] };
  const values = f32(backend, x);
  const ax = util.parseAxisParam(axis, x.shape)[0]!;
  // tfjs's own helper: resolves -1 sizes and raises tfjs's errors for bad splits
  const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, ax);
  const outer = util.sizeFromShape(x.shape.slice(0, ax));
  const inner = util.sizeFromShape(x.shape.slice(ax + 1));
  const rowLength = (x.shape[ax] ?? 0) * inner;
  let begin = 0;
  return sizes.map((size) => {
    const shape = [...x.shape];
    shape[ax] = size;
    const run = size * inner;
    const start = begin * inner;
    begin += size;
    return output(backend, shape, (out) => {
      for (let o = 0; o < outer; o++) out.set(values.subarray(o * rowLength + start, o * rowLength + start + run), o * run);
    });
  });
}
