// Sum over the leading axes, keeping the trailing ones: every bias gradient (a conv's bias sums dy over
// batch, height and width). Stock wasm Sum first transposes the reduced axes innermost (a full copy of
// dy) and then reduces; summing in place is ~3x faster on the seed convnet's
// [64, 24, 24, 10] gradient. Accumulates in float64 (like the cpu backend's JS loop). Every other Sum
// goes to the stock kernel.
import { util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';

/** How many leading axes `axis` names, when it names exactly axes 0..k-1 with 0 < k < rank; else 0. */
export function leadingAxes(axis: number | number[] | null | undefined, shape: number[]): number {
  if (axis == null) return 0;
  const axes = new Set(util.parseAxisParam(axis, shape));
  if (axes.size === 0 || axes.size >= shape.length) return 0;
  for (let i = 0; i < axes.size; i++) if (!axes.has(i)) return 0;
  return axes.size;
}

export function makeSum(stock: KernelFunc) {
  return function sum(args: KernelArgs): TensorInfo {
    const { inputs, backend, attrs } = args;
    const x = inputs.x!;
    const { axis, keepDims } = attrs as unknown as { axis: number | number[] | null; keepDims: boolean };
    const k = leadingAxes(axis, x.shape);
    if (k === 0 || x.dtype !== 'float32') return stock(args as never) as TensorInfo;
    const kept = x.shape.slice(k);
    const cols = util.sizeFromShape(kept);
    const rows = util.sizeFromShape(x.shape.slice(0, k));
    const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept, 'float32');
    backend.typedArrayFromHeap(out).set(sumRows(backend.typedArrayFromHeap(x) as Float32Array, rows, cols));
    return out;
  };
}

/** Column sums of a row-major [rows, cols] matrix. */
function sumRows(xv: Float32Array, rows: number, cols: number): Float64Array {
  const acc = new Float64Array(cols);
  const n = rows * cols;
  if (cols > 64) {
    for (let i = 0; i < n; i += cols) {
      for (let c = 0; c < cols; c++) acc[c] = acc[c]! + xv[i + c]!;
    }
    return acc;
  }
  // few columns (bias gradients): one strided pass per column with four independent sums, ~2.5x faster
  // than the row loop (no dependency on acc[c] from one row to the next)
  const step = 4 * cols;
  for (let c = 0; c < cols; c++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = c;
    for (; i + 3 * cols < n; i += step) {
      s0 += xv[i]!;
      s1 += xv[i + cols]!;
      s2 += xv[i + 2 * cols]!;
      s3 += xv[i + 3 * cols]!;
    }
    for (; i < n; i += cols) s0 += xv[i]!;
    acc[c] = s0 + s1 + s2 + s3;
  }
  return acc;
}
