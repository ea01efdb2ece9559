// Bias adds into the GEMM: `Add(matMul(a, b), bias)` with a scalar or one-per-column bias, where nothing else reads
// the product, becomes the matMul instruction's own bias (gemm.cc adds it to each row right after the GEMM, while
// the rows are still in cache). x + bias and bias + x are the same float32 sum, so the result keeps its bits; what
// goes is one instruction, one pass over the product and the product's arena bytes. The activation stays where it
// is: training reads the pre-activation again (the ReLU gradient), so it is a value of its own either way.
import { util } from '@tensorflow/tfjs-core';
import type { SlotSpec } from '../../compat/step-plan';
import type { Instruction } from './lower';

export interface FoldInput {
  code: readonly Instruction[];
  /** Per instruction: the slots it reads, and the slot it writes. */
  reads: ReadonlyMap<Instruction, number[]>;
  outs: ReadonlyMap<Instruction, number>;
  slots: readonly SlotSpec[];
  root: readonly number[];
  /** Roots read after the step: never folded away. */
  kept: ReadonlySet<number>;
  /** The addon's code for Add (BINARY.Add). */
  add: number;
}

/** The plan with each foldable bias add merged into the matMul before it; new instructions get their reads and out in the maps. */
export function foldBias({ code, reads, outs, slots, root, kept, add }: FoldInput): {
  code: Instruction[];
  reads: Map<Instruction, number[]>;
  outs: Map<Instruction, number>;
} {
  const readsOut = new Map(reads);
  const outsOut = new Map(outs);
  const readers = new Map<number, number>();
  for (const ins of code) for (const r of new Set(reads.get(ins)!.map((s) => root[s]!))) readers.set(r, (readers.get(r) ?? 0) + 1);
  const defAt = new Map<number, number>();
  code.forEach((ins, i) => defAt.set(root[outs.get(ins)!]!, i));
  const result: Array<Instruction | undefined> = [...code];
  code.forEach((ins, i) => {
    if (ins.op !== 'binary' || ins.fields[0] !== add) return;
    const [, x, y, out, rank] = ins.fields as [number, number, number, number, number];
    const outShape = ins.fields.slice(5 + 2 * rank, 5 + 3 * rank);
    for (const [product, bias, shape] of [
      [x, y, ins.fields.slice(5, 5 + rank)],
      [y, x, ins.fields.slice(5 + rank, 5 + 2 * rank)],
    ] as const) {
      const at = defAt.get(root[product]!);
      const mm = at === undefined ? undefined : result[at];
      if (at === undefined || mm?.op !== 'matMul' || mm.fields[3] !== -1 || mm.fields[12] !== 0) continue;
      if (readers.get(root[product]!) !== 1 || kept.has(root[product]!) || !util.arraysEqual(shape, outShape)) continue;
      const n = mm.fields[8]!;
      const biasLength = util.sizeFromShape(slots[bias]!.shape);
      const row = biasLength === n && slots[bias]!.shape.at(-1) === n;
      // the bias must exist when the GEMM runs: a step input or parameter, or made before it
      const made = defAt.get(root[bias]!);
      if (slots[bias]!.dtype !== 'float32' || !(biasLength === 1 || row) || (made !== undefined && made >= at)) continue;
      const fields = [...mm.fields];
      fields[2] = out;
      fields[3] = bias;
      fields[4] = biasLength;
      const folded: Instruction = { op: 'matMul', fields };
      readsOut.set(folded, [...readsOut.get(mm)!, bias]);
      outsOut.set(folded, out);
      result[at] = folded;
      result[i] = undefined;
      return;
    }
  });
  return { code: result.filter((i): i is Instruction => i !== undefined), reads: readsOut, outs: outsOut };
}
