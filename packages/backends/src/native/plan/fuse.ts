// Elementwise fusion over a lowered plan: a chain of binary, unary and gradient instructions on one element count,
// whose intermediates nothing else reads, becomes one `fused` instruction (the addon's plan-fused.cc) that runs the
// chain block by block. Each step calls the kernel its instruction called, in the recorded order, so the fused plan
// gives the unfused one's bits; what goes is a pass over memory per intermediate and the intermediates' arena bytes.
import { util } from '@tensorflow/tfjs-core';
import type { SlotSpec } from '../../compat/step-plan';
import { slotBytes } from './arena';
import type { Instruction, LowerContext } from './lower';

/** The addon's register file (kMaxRegisters in plan-fused.cc): inputs plus steps of one fused instruction. */
const MAX_REGISTERS = 32;
const KIND = { binary: 0, unary: 1, grad: 2 } as const;
// transcendental kernels stay unfused: a block-sized call may take the vector or the scalar libm path where the
// whole-tensor call took the other, and those two may differ in the last bit
const UNFUSED_UNARY = ['Exp', 'Tanh', 'Sigmoid', 'Log'];

interface Operand {
  slot: number;
  /** Element e of the chain reads element e % period: n (the whole value), 1 (a scalar), or a trailing-axes row. */
  period: number;
}
interface Step {
  n: number;
  out: number;
  kind: number;
  op: number;
  operands: Operand[];
  /** unary's alpha bits (Step), else 0. */
  alpha: number;
}

/** How an operand of aligned shape `shape` repeats over `out`: its element count when it is out's trailing axes after leading 1s. */
function period(shape: number[], out: number[]): number | undefined {
  let first = shape.findIndex((d) => d !== 1);
  if (first < 0) first = shape.length;
  return shape.slice(first).every((d, i) => d === out[first + i]) ? util.sizeFromShape(shape.slice(first)) : undefined;
}

function asStep(ins: Instruction, codes: LowerContext['codes']): Step | undefined {
  const f = ins.fields;
  if (ins.op === 'unary') {
    const unfused = UNFUSED_UNARY.map((name) => (codes.UNARY as Record<string, number>)[name]);
    if (unfused.includes(f[0])) return undefined;
    return { n: f[3]!, out: f[2]!, kind: KIND.unary, op: f[0]!, operands: [{ slot: f[1]!, period: f[3]! }], alpha: f[4]! };
  }
  if (ins.op === 'grad') {
    const n = f[5]!;
    const reads = f[0] === codes.GRAD['SquaredDifference'] ? [f[1]!, f[2]!, f[3]!] : [f[1]!, f[2]!];
    return { n, out: f[4]!, kind: KIND.grad, op: f[0]!, operands: reads.map((slot) => ({ slot, period: n })), alpha: 0 };
  }
  if (ins.op === 'binary') {
    const rank = f[4]!;
    const shapes = [0, 1, 2].map((k) => f.slice(5 + k * rank, 5 + (k + 1) * rank));
    const out = shapes[2]!;
    const [pa, pb] = [period(shapes[0]!, out), period(shapes[1]!, out)];
    if (pa === undefined || pb === undefined) return undefined;
    const n = util.sizeFromShape(out);
    return {
      n,
      out: f[3]!,
      kind: KIND.binary,
      op: f[0]!,
      operands: [
        { slot: f[1]!, period: pa },
        { slot: f[2]!, period: pb },
      ],
      alpha: 0,
    };
  }
  return undefined;
}

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

function program(chain: Step[], root: readonly number[]): Instruction {
  const register = new Map<string, number>();
  const inputs: Operand[] = [];
  const key = (o: Operand) => `${root[o.slot]}:${o.period}`;
  // walked in order: a step's operand is an earlier step's register, else an input (one register per value and period)
  const walk = (visit: (s: Step, made: ReadonlyMap<number, number>) => void) => {
    const made = new Map<number, number>();
    chain.forEach((s, j) => {
      visit(s, made);
      made.set(root[s.out]!, j);
    });
  };
  walk((s, made) => {
    for (const o of s.operands) if (!made.has(root[o.slot]!) && !register.has(key(o))) register.set(key(o), inputs.push(o) - 1);
  });
  const body: number[] = [];
  walk((s, made) => {
    const r = s.operands.map((o) => {
      const j = made.get(root[o.slot]!);
      return j !== undefined ? inputs.length + j : register.get(key(o))!;
    });
    body.push(s.kind, s.op, r[0] ?? 0, r[1] ?? 0, s.kind === KIND.unary ? s.alpha : (r[2] ?? 0));
  });
  const last = chain.at(-1)!;
  return { op: 'fused', fields: [last.out, last.n, inputs.length, chain.length, ...inputs.flatMap((o) => [o.slot, o.period]), ...body] };
}
