// Bias adds folded into the matMul before them, on hand-written plans: a bias row or scalar folds; a product another
// instruction reads, a bias made after the GEMM, a bias column and a product the step keeps do not. (The folded
// plan's bits against the unfused one: fuse.test.ts replays a recorded step both ways.)
import { describe, expect, it } from 'vitest';
import { BINARY } from '@logitlab/native';
import type { SlotSpec } from '../../compat/step-plan';
import { floatBits } from '../geometry';
import { foldBias } from './fold-bias';
import type { Instruction } from './lower';

// slots: 0 a [4, 5], 1 b [5, 3], 2 the product [4, 3], 3 a bias row [3], 4 a scalar, 5 a column [4, 1], 6.. outputs [4, 3]
const slot = (shape: number[]): SlotSpec => ({ source: { kind: 'op', op: 0, output: 0 }, shape, dtype: 'float32' });
const SLOTS = [slot([4, 5]), slot([5, 3]), slot([4, 3]), slot([3]), slot([]), slot([4, 1]), slot([4, 3]), slot([4, 3]), slot([4, 3])];
const ROOT = SLOTS.map((_, i) => i);
const matMul = (): Instruction => ({ op: 'matMul', fields: [0, 1, 2, -1, 0, 1, 1, 4, 3, 5, 0, 0, 0, floatBits(0.2)] });
const add = (x: number, y: number, out: number, xShape: number[], yShape: number[]): Instruction => ({
  op: 'binary',
  fields: [BINARY.Add, x, y, out, 2, ...xShape, ...yShape, 4, 3],
});
const other = (x: number, out: number): Instruction => ({ op: 'unary', fields: [0, x, out, 12, 0] });

function fold(code: Instruction[], kept = [6]) {
  const reads = new Map<Instruction, number[]>();
  const outs = new Map<Instruction, number>();
  for (const i of code) {
    reads.set(i, i.op === 'matMul' ? [0, 1] : i.op === 'binary' ? [i.fields[1]!, i.fields[2]!] : [i.fields[1]!]);
    outs.set(i, i.op === 'matMul' ? i.fields[2]! : i.op === 'binary' ? i.fields[3]! : i.fields[2]!);
  }
  const result = foldBias({ code, reads, outs, slots: SLOTS, root: ROOT, kept: new Set(kept), add: BINARY.Add });
  return { ...result, ops: result.code.map((i) => i.op) };
}

describe('foldBias: bias adds into the GEMM', () => {
  it('folds a bias row added on either side into the matMul, which then writes the sum and reads the bias', () => {
    for (const sum of [add(2, 3, 6, [4, 3], [1, 3]), add(3, 2, 6, [1, 3], [4, 3])]) {
      const { code, reads, outs } = fold([matMul(), sum]);
      expect(code).toEqual([{ op: 'matMul', fields: [0, 1, 6, 3, 3, 1, 1, 4, 3, 5, 0, 0, 0, floatBits(0.2)] }]);
      expect(reads.get(code[0]!)).toEqual([0, 1, 3]);
      expect(outs.get(code[0]!)).toBe(6);
    }
  });

  it('folds a scalar bias as a bias of length 1', () => {
    const { code } = fold([matMul(), add(2, 4, 6, [4, 3], [1, 1])]);
    expect(code[0]!.fields.slice(2, 5)).toEqual([6, 4, 1]);
  });

  it('leaves the add where another instruction reads the product, the step keeps it, or the bias is a column', () => {
    expect(fold([matMul(), add(2, 3, 6, [4, 3], [1, 3]), other(2, 7)]).ops).toEqual(['matMul', 'binary', 'unary']);
    expect(fold([matMul(), add(2, 3, 6, [4, 3], [1, 3])], [2, 6]).ops).toEqual(['matMul', 'binary']);
    expect(fold([matMul(), add(2, 5, 6, [4, 3], [4, 1])]).ops).toEqual(['matMul', 'binary']);
  });

  it('leaves the add where the bias is made after the GEMM, or the matMul has a bias already', () => {
    const late = [matMul(), other(4, 3), add(2, 3, 6, [4, 3], [1, 3])];
    expect(fold(late).ops).toEqual(['matMul', 'unary', 'binary']);
    const biased: Instruction = { op: 'matMul', fields: [0, 1, 2, 3, 3, 1, 1, 4, 3, 5, 0, 0, 0, 0] };
    expect(fold([biased, add(2, 3, 6, [4, 3], [1, 3])]).ops).toEqual(['matMul', 'binary']);
  });
});
