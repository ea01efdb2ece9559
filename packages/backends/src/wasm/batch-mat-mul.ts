// wasm's BatchMatMul uses XNNPACK only when neither operand is transposed and the batch is 1; any
// transposed operand goes to a naive loop ~6x slower. Every dense-layer backward pass multiplies
// transposed operands (dW = x^T dy, dx = dy W^T), so transpose explicitly (one cheap copy) and take
// the fast path.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { free, run } from './kernel-util';
import type { KernelArgs } from './kernel-util';

const batchOf = (shape: number[]) => shape.slice(0, -2).reduce((a, b) => a * b, 1);

export function makeBatchMatMul(stock: KernelFunc) {
  return function batchMatMul(args: KernelArgs): TensorInfo {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const a = inputs.a!;
    const b = inputs.b!;
    if (
      (!transposeA && !transposeB) ||
      batchOf(a.shape) !== 1 ||
      batchOf(b.shape) !== 1 ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32'
    ) {
      return stock(args as never) as TensorInfo;
    }
    const swapLast2 = (t: TensorInfo) => {
      const rank = t.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      return run('Transpose', backend, { x: t }, { perm });
    };
    const temps: TensorInfo[] = [];
    const a2 = transposeA ? swapLast2(a) : a;
    const b2 = transposeB ? swapLast2(b) : b;
    if (transposeA) temps.push(a2);
    if (transposeB) temps.push(b2);
    const out = stock({
      inputs: { a: a2, b: b2 },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    } as never) as TensorInfo;
    free(backend, ...temps);
    return out;
  };
}
