// The encoding half of elementwise fusion (fuse.ts groups the chains): which lowered instructions are chain steps, how an
// operand repeats over the chain's elements, and a chain as the `fused` instruction plan-fused.cc runs.
import { util } from '@tensorflow/tfjs-core';
import type { Instruction, LowerContext } from './lower';

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

export function asStep(ins: Instruction, codes: LowerContext['codes']): Step | undefined {
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

/** A chain of steps, in recorded order, as one `fused` instruction: inputs first, then one register per step. */
export function program(chain: Step[], root: readonly number[]): Instruction {
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
