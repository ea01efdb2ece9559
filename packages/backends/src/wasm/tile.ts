// Tile (and broadcastTo, which tfjs runs as Tile): every Sum gradient broadcasts dy back to its input's
// shape through it. Stock wasm Tile computes a source index per output element (~5 M elements/s here):
// tiling a [1, 784] gradient row to [128, 784] took longer than the VAE's matrix products. A tile is
// copies of contiguous runs, so this copies the input's innermost rows once and replicates each finished
// block with copyWithin (memmove), outermost last. The values are the same bytes, so results are bitwise
// the stock kernel's. Strings (not on the wasm heap) go to the stock kernel.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';

type Heap = Float32Array | Int32Array | Uint8Array;

/** Writes x tiled by `reps` into out (row-major; out's shape is x.shape[i] * reps[i]). */
export function tileInto(x: Heap, shape: readonly number[], reps: readonly number[], out: Heap): void {
  const rank = shape.length;
  if (rank === 0) {
    if (out.length > 0) out[0] = x[0]!;
    return;
  }
  const xStride: number[] = Array.from({ length: rank }, () => 1);
  const outStride: number[] = Array.from({ length: rank }, () => 1);
  for (let a = rank - 2; a >= 0; a--) {
    xStride[a] = xStride[a + 1]! * shape[a + 1]!;
    outStride[a] = outStride[a + 1]! * shape[a + 1]! * reps[a + 1]!;
  }
  const write = (axis: number, xAt: number, outAt: number): void => {
    const n = shape[axis]!;
    let block: number; // the elements written for one copy of axis' extent
    if (axis === rank - 1) {
      if (n === 1) {
        out.fill(x[xAt]! as never, outAt, outAt + reps[axis]!);
        return;
      }
      out.set(x.subarray(xAt, xAt + n), outAt);
      block = n;
    } else {
      for (let i = 0; i < n; i++) write(axis + 1, xAt + i * xStride[axis]!, outAt + i * outStride[axis]!);
      block = n * outStride[axis]!;
    }
    for (let r = 1; r < reps[axis]!; r++) out.copyWithin(outAt + r * block, outAt, outAt + block);
  };
  if (out.length > 0) write(0, 0, 0);
}

export function makeTile(stock: KernelFunc) {
  return function tile(args: KernelArgs): TensorInfo {
    const { inputs, backend, attrs } = args;
    const x = inputs.x!;
    if (x.dtype === 'string') return stock(args as never) as TensorInfo;
    const reps = (attrs as unknown as { reps: number[] }).reps;
    const out = backend.makeOutput(
      x.shape.map((d, i) => d * reps[i]!),
      x.dtype,
    );
    // views after makeOutput: it may grow the heap, which detaches earlier views
    tileInto(backend.typedArrayFromHeap(x), x.shape, reps, backend.typedArrayFromHeap(out));
    return out;
  };
}
