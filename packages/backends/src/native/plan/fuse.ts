// Elementwise fusion over a lowered plan: a chain of binary, unary and gradient instructions on one element count,
// whose intermediates nothing else reads, becomes one `fused` instruction (the addon's plan-fused.cc) that runs the
// chain block by block. Each step calls the kernel its instruction called, in the recorded order, so the fused plan
// gives the unfused one's bits; what goes is a pass over memory per intermediate and the intermediates' arena bytes.
import type { SlotSpec } from '../../compat/step-plan';
import { slotBytes } from './arena';
import { asStep, program } from './fuse-steps';
import type { Instruction, LowerContext } from './lower';

/** The addon's register file (kMaxRegisters in plan-fused.cc): inputs plus steps of one fused instruction. */
const MAX_REGISTERS = 32;
/** The slots a fused instruction reads (its inputs live in the fields' tail). */
export function fusedReads(fields: readonly number[]): number[] {
  return Array.from({ length: fields[2]! }, (_, i) => fields[4 + 2 * i]!);
}

export interface FuseInput {
  code: readonly Instruction[];
  /** Per instruction: the slots it reads, and the slot it writes. */
  reads: readonly number[][];
  outs: readonly number[];
  slots: readonly SlotSpec[];
  root: readonly number[];
  /** Roots read after the step (its outputs, parameters' new values): never fused away. */
  kept: ReadonlySet<number>;
  codes: LowerContext['codes'];
}

/** The plan with every fusable chain as one `fused` instruction at the chain's last instruction. */
export function fuseElementwise({ code, reads, outs, slots, root, kept, codes }: FuseInput): Instruction[] {
  const steps = code.map((ins) => asStep(ins, codes));
  const readers = new Map<number, number>();
  const lastRead = new Map<number, number>();
  reads.forEach((rs, i) => {
    for (const r of new Set(rs.map((s) => root[s]!))) {
      readers.set(r, (readers.get(r) ?? 0) + 1);
      lastRead.set(r, i);
    }
  });
  const defAt = new Map<number, number>();
  // a member's group is the instruction that runs it; groups[i]: the members instruction i runs, in recorded order
  const groupOf = code.map((_, i) => i);
  const groups = code.map((_, i) => [i]);
  // bytes a value holds in the arena (the step's inputs, parameters and constants live elsewhere)
  const made = new Set(outs.map((s) => root[s]!));
  const arenaBytes = (r: number) => (made.has(r) ? slotBytes(slots[r]!) : 0);
  /**
   * Merging group g into instruction i runs g's members at i: inputs whose last reader was a member now live until i.
   * Refused where those hold more bytes than the intermediate the merge removes, which lived from g to i: so no point of
   * the step holds more than before, and the arena does not grow.
   */
  const extended = (g: number, i: number) => {
    const inside = new Set(groups[g]!.map((m) => root[steps[m]!.out]!));
    const operands = groups[g]!.flatMap((m) => steps[m]!.operands.map((o) => root[o.slot]!));
    return new Set(operands.filter((r) => !inside.has(r) && (lastRead.get(r) ?? -1) < i));
  };
  const registers = (members: number[]) => members.reduce((sum, m) => sum + 1 + steps[m]!.operands.length, 0);
  steps.forEach((step, i) => {
    if (!step) return;
    for (const { slot, period: p } of step.operands) {
      const r = root[slot]!;
      const producer = defAt.get(r);
      if (producer === undefined || p !== step.n || readers.get(r) !== 1 || kept.has(r)) continue;
      const g = groupOf[producer]!;
      const from = steps[g];
      if (g === i || !from || from.n !== step.n || registers(groups[g]!) + registers(groups[i]!) > MAX_REGISTERS) continue;
      const longer = extended(g, i);
      if ([...longer].reduce((sum, x) => sum + arenaBytes(x), 0) > arenaBytes(r)) continue;
      for (const x of longer) lastRead.set(x, i);
      for (const m of groups[g]!) groupOf[m] = i;
      // oxlint-disable-next-line unicorn/no-array-sort -- sorts the fresh concatenation
      groups[i] = [...groups[g]!, ...groups[i]!].sort((a, b) => a - b);
      groups[g] = [];
    }
    if (slots[step.out]?.dtype === 'float32') defAt.set(root[step.out]!, i);
  });
  return code.flatMap((ins, i) => {
    if (groupOf[i] !== i) return [];
    const members = groups[i]!;
    return members.length === 1
      ? [ins]
      : [
          program(
            members.map((m) => steps[m]!),
            root,
          ),
        ];
  });
}
