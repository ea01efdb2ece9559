// Transpose for wasm, where the stock 4.22 kernel is pathological: it reads the input in order and writes
// the output with a stride of `rows` elements, and when that stride is a multiple of 128 floats (512
// bytes) the writes keep evicting each other from the same cache sets: 3.4-4.5 ns per element for
// [128 | 256, 784] against 0.4-0.7 ns for [64 | 100 | 784, *] (measured side by side, 2-core EPYC). Every
// dense layer's backward transposes its weight (./batch-mat-mul.ts does, before XNNPACK's fast path), and
// bn-mlp's [256, 784] weight hit this every step. Those cases (after dropping size-1 axes and merging axes
// that stay neighbours: a swap of the two innermost axes, behind batch axes that stay) are copied here
// in 32 x 32 blocks, ~1.4 ns per element. Everywhere else stock is faster than a JS loop and keeps the
// work. Values move as integers (float32 through an Int32Array view), so every bit, NaN payloads
// included, is the stock kernel's. A permutation that moves no data shares it, as stock (and our
// Identity) do.
import { util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';
import { identity } from './identity';
import { LogitlabError } from '@logitlab/core';

type Bits = Int32Array | Uint8Array;

// 32 x 32 int32 values are 4 KB read and 4 KB written: both sides stay in L1 while a block is copied
const BLOCK = 32;

/** The same transpose with size-1 axes dropped and input axes that stay neighbours merged into one. */
function simplifyTranspose(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const renumbered: number[] = [];
  let kept = 0;
  for (const d of shape) renumbered.push(d === 1 ? -1 : kept++);
  const sizes = shape.filter((d) => d !== 1);
  // runs of consecutive input axes, in output order
  const runs: number[][] = [];
  for (const axis of perm) {
    const a = renumbered[axis]!;
    if (a < 0) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && last[last.length - 1]! + 1 === a) last.push(a);
    else runs.push([a]);
  }
  const runStartingAt = new Map(runs.map((run) => [run[0]!, run]));
  const inInputOrder: number[][] = [];
  for (let a = 0; a < sizes.length; a++) {
    const run = runStartingAt.get(a);
    if (run !== undefined) inInputOrder.push(run);
  }
  return {
    shape: inInputOrder.map((run) => run.reduce((n, a) => n * sizes[a]!, 1)),
    perm: runs.map((run) => inInputOrder.indexOf(run)),
  };
}

const isIdentity = (perm: readonly number[]): boolean => perm.every((a, i) => a === i);

/** Swaps the last two axes of [batch, rows, cols] block by block. */
export function swapInnermost(x: Bits, batch: number, rows: number, cols: number, out: Bits): void {
  for (let b = 0, base = 0; b < batch; b++, base += rows * cols) {
    for (let i0 = 0; i0 < rows; i0 += BLOCK) {
      const i1 = Math.min(rows, i0 + BLOCK);
      for (let j0 = 0; j0 < cols; j0 += BLOCK) {
        const j1 = Math.min(cols, j0 + BLOCK);
        for (let j = j0; j < j1; j++) {
          const to = base + j * rows;
          for (let i = i0, from = base + i0 * cols + j; i < i1; i++, from += cols) out[to + i] = x[from]!;
        }
      }
    }
  }
}

// the stock kernel's output stride that makes its writes collide in the cache (see above)
const ALIASING_STRIDE = 128;

type TransposePlan =
  | { kind: 'share' } // no element moves
  | { kind: 'swap'; batch: number; rows: number; cols: number } // [batch, rows, cols] -> [batch, cols, rows], ours
  | { kind: 'stock' };

/** How a transpose of `shape` by `perm` runs (`perm` already checked). */
export function planTranspose(shape: readonly number[], perm: readonly number[]): TransposePlan {
  if (util.sizeFromShape(shape as number[]) === 0) return { kind: 'stock' };
  const simple = simplifyTranspose(shape, perm);
  const rank = simple.shape.length;
  if (isIdentity(simple.perm)) return { kind: 'share' };
  const swap = rank <= 3 && simple.perm[rank - 1] === rank - 2 && simple.perm[rank - 2] === rank - 1;
  const [rows, cols] = simple.shape.slice(-2) as [number, number];
  if (!swap || rows % ALIASING_STRIDE !== 0) return { kind: 'stock' };
  return { kind: 'swap', batch: rank === 3 ? simple.shape[0]! : 1, rows, cols };
}

export class InvalidPermutationError extends LogitlabError {
  override name = 'InvalidPermutationError';
  constructor(perm: readonly number[], rank: number) {
    super(`Transpose perm [${perm.join(', ')}] is not a permutation of the axes 0..${rank - 1} of a rank-${rank} tensor.`);
  }
}

/** The bytes of a heap view as integers, so copies never pass a float through a register. */
function bits(a: Float32Array | Int32Array | Uint8Array): Bits {
  return a instanceof Float32Array ? new Int32Array(a.buffer, a.byteOffset, a.length) : a;
}

export function makeTranspose(stock: KernelFunc) {
  return function transpose(args: KernelArgs): TensorInfo {
    const { inputs, backend, attrs } = args;
    const x = inputs.x!;
    const perm = (attrs as unknown as { perm: number[] }).perm;
    // tfjs-core checks the length and the range, not repeats: [0, 0] reached the kernels
    if (perm.length !== x.shape.length || new Set(perm).size !== perm.length || perm.some((a) => !(a >= 0 && a < perm.length))) {
      throw new InvalidPermutationError(perm, x.shape.length);
    }
    const plan: TransposePlan =
      x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool' ? planTranspose(x.shape, perm) : { kind: 'stock' };
    const outShape = perm.map((a) => x.shape[a]!);
    if (plan.kind === 'share') return { ...identity({ inputs: { x }, backend, attrs: {} }), shape: outShape };
    if (plan.kind !== 'swap') return stock(args as never) as TensorInfo;
    const out = backend.makeOutput(outShape, x.dtype);
    // views after makeOutput: it may grow the heap, which detaches earlier views
    swapInnermost(bits(backend.typedArrayFromHeap(x)), plan.batch, plan.rows, plan.cols, bits(backend.typedArrayFromHeap(out)));
    return out;
  };
}
