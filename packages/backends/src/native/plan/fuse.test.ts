// Elementwise fusion: which chains the pass merges (pure, on hand-written plans), the addon's fused instruction
// against the unfused instructions it replaces (bit for bit, in place, over the parallel size), malformed fused
// instructions (refused before anything is written), and a recorded training step replayed fused and unfused
// (the same bits, fewer instructions, a smaller arena). The addon parts skip where it is not built.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import * as native from '@logitlab/native';
import { PLAN_OPS, loadNative } from '@logitlab/native';
import { registerPlanLowering } from '../../compat/step-executor';
import type { SlotSpec } from '../../compat/step-plan';
import { untestableReason } from '../../../test/kernel-test-util';
import { recordPlan } from '../../../test/record-plan';
import { floatBits } from '../geometry';
import { nativePlanLowering } from './executor';
import { fuseElementwise } from './fuse';
import type { Instruction } from './lower';

const codes = { ...native, GRAD: { ...native.GRAD } };
const { Add, Multiply, Sub, SquaredDifference } = native.BINARY;
const { Neg, Exp, Relu, Square } = native.UNARY;

// slots: 0 x [4, 3], 1 a scalar, 2 a bias row [3], 3 a column [4, 1], then op outputs [4, 3] from 4 on
const slot = (shape: number[]): SlotSpec => ({ source: { kind: 'op', op: 0, output: 0 }, shape, dtype: 'float32' });
const SLOTS = [slot([4, 3]), slot([]), slot([3]), slot([4, 1]), ...Array.from({ length: 8 }, () => slot([4, 3]))];
const ROOT = SLOTS.map((_, i) => i);
const FULL = [4, 3];
const bin = (op: number, a: number, b: number, out: number, aShape = FULL, bShape = FULL): Instruction => ({
  op: 'binary',
  fields: [op, a, b, out, 2, ...aShape, ...bShape, ...FULL],
});
const un = (op: number, x: number, out: number): Instruction => ({ op: 'unary', fields: [op, x, out, 12, floatBits(0)] });
// what the lowering records for these three ops: binary (a, b) -> out, unary x -> y, grad (dy, a) -> out
const readsOf = (i: Instruction) => (i.op === 'unary' ? [i.fields[1]!] : [i.fields[1]!, i.fields[2]!]);
const outOf = (i: Instruction) => (i.op === 'binary' ? i.fields[3]! : i.op === 'unary' ? i.fields[2]! : i.fields[4]!);
const fuse = (code: Instruction[], kept: number[]) =>
  fuseElementwise({ code, reads: code.map(readsOf), outs: code.map(outOf), slots: SLOTS, root: ROOT, kept: new Set(kept), codes });

describe('fuseElementwise: which chains become one instruction', () => {
  it('fuses neg -> times a scalar -> plus a bias row into one instruction reading x, the scalar and the row', () => {
    const out = fuse([un(Neg, 0, 4), bin(Multiply, 4, 1, 5, FULL, [1, 1]), bin(Add, 5, 2, 6, FULL, [1, 3])], [6]);
    expect(out).toEqual([
      { op: 'fused', fields: [6, 12, 3, 3, 0, 12, 1, 1, 2, 3, 1, Neg, 0, 0, floatBits(0), 0, Multiply, 3, 1, 0, 0, Add, 4, 2, 0] },
    ]);
  });

  it('keeps an intermediate another instruction reads, or the step keeps, as an instruction of its own', () => {
    const shared = [un(Neg, 0, 4), bin(Multiply, 4, 1, 5, FULL, [1, 1]), bin(Add, 4, 5, 6)];
    expect(fuse(shared, [6]).map((i) => i.op)).toEqual(['unary', 'fused']);
    const kept = [un(Neg, 0, 4), un(Square, 4, 5)];
    expect(fuse(kept, [4, 5])).toEqual(kept);
  });

  it('refuses a merge that keeps more arena bytes alive for longer than the intermediate it removes', () => {
    // 4 and 5 are arena values last read by the first add: running it at the last neg would keep both alive until then
    const made = [un(Exp, 0, 4), un(Exp, 0, 5), bin(Add, 4, 5, 6), un(Neg, 0, 7), un(Relu, 0, 8), bin(Add, 7, 8, 9), un(Neg, 6, 10)];
    expect(fuse(made, [9, 10]).map((i) => i.op)).toEqual(['unary', 'unary', 'binary', 'fused', 'unary']);
  });

  it('leaves transcendental kernels and broadcasts that are not a trailing row unfused', () => {
    const exp = [un(Exp, 0, 4), un(Neg, 4, 5)];
    expect(fuse(exp, [5])).toEqual(exp);
    const outer = [bin(Add, 0, 3, 4, FULL, [4, 1]), un(Relu, 4, 5)];
    expect(fuse(outer, [5])).toEqual(outer);
  });
});

const skip = await untestableReason('native');
const loaded = loadNative();
const addon = loaded.ok ? loaded.addon : undefined;
const opCode = (name: string) => PLAN_OPS.findIndex((o) => o.name === name);
const encode = (code: Instruction[]) => Int32Array.from(code.flatMap((i) => [opCode(i.op), i.fields.length, ...i.fields]));
const lcg = (n: number, seed = 7) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32) * 8 - 4);
};

/** Runs `code` over one buffer per slot (slot i = buffer i + 1; buffer 0 is an unused arena). */
function runOn(code: Instruction[], buffers: Float32Array[]) {
  const table = Int32Array.from(buffers.flatMap((b, i) => [i + 1, 0, b.byteLength]));
  addon!.runPlan(encode(code), table, [new Uint8Array(64), ...buffers]);
}

describe.skipIf(skip)("the addon's fused instruction", () => {
  // x [rows, 7], w [rows, 7] (updated in place), a scalar, a row of 7: w - (relu(x) * s + row) * (x - w)^2, then grad relu
  function chain(rows: number) {
    const n = rows * 7;
    const shape = [rows, 7];
    const b = (op: number, a: number, c: number, out: number, aShape = shape, cShape = shape): Instruction => ({
      op: 'binary',
      fields: [op, a, c, out, 2, ...aShape, ...cShape, ...shape],
    });
    const unfused: Instruction[] = [
      { op: 'unary', fields: [Relu, 0, 4, n, floatBits(0)] },
      b(Multiply, 4, 2, 5, shape, [1, 1]),
      b(Add, 5, 3, 6, shape, [1, 7]),
      b(SquaredDifference, 0, 1, 7),
      b(Multiply, 6, 7, 8),
      { op: 'grad', fields: [native.GRAD.Relu, 8, 0, -1, 9, n] },
      b(Sub, 1, 9, 1),
    ];
    const buffers = () => [lcg(n, 1), lcg(n, 2), Float32Array.of(0.37), lcg(7, 3), ...Array.from({ length: 6 }, () => new Float32Array(n))];
    return { n, unfused, buffers };
  }

  // 10_001 rows: over the addon's parallel size, so the blocks run on the OpenMP pool
  for (const rows of [5, 10_001]) {
    it(`gives the unfused instructions' bits over ${rows * 7} elements, writing w in place`, () => {
      const { unfused, buffers } = chain(rows);
      const slots = buffers().map((b) => ({
        source: { kind: 'op' as const, op: 0, output: 0 },
        shape: [b.length],
        dtype: 'float32' as const,
      }));
      const fused = fuseElementwise({
        code: unfused,
        reads: unfused.map(readsOf),
        outs: unfused.map(outOf),
        slots,
        root: slots.map((_, i) => i),
        kept: new Set([1]),
        codes,
      });
      expect(fused.map((i) => i.op)).toEqual(['fused']);
      const [want, got] = [buffers(), buffers()];
      runOn(unfused, want);
      runOn(fused, got);
      // the first differing bit pattern (a deep equality over 70 000 elements takes seconds)
      const [g, w] = [new Uint32Array(got[1]!.buffer), new Uint32Array(want[1]!.buffer)];
      expect(g.findIndex((v, i) => v !== w[i])).toBe(-1);
      // and w did change: a plan that ran nothing would pass the comparison above
      const start = lcg(w.length, 2);
      expect(want[1]!.some((v, i) => v !== start[i])).toBe(true);
    });
  }

  const bad: Array<[string, number[], RegExp]> = [
    ['a register not yet written', [1, 4, 1, 1, 0, 4, 0, Add, 0, 1, 0], /step 0 reads register 1, expected one below 1/],
    [
      'a period that does not divide n',
      [1, 4, 1, 1, 0, 3, 1, Neg, 0, 0, 0],
      /input 0 repeats every 3 elements, expected a divisor of n = 4/,
    ],
    ['an unknown op', [1, 4, 1, 1, 0, 4, 1, 99, 0, 0, 0], /step 0 has op 99, expected 0..9 for its kind/],
    ['an unknown kind', [1, 4, 1, 1, 0, 4, 7, 0, 0, 0, 0], /step 0 has kind 7, expected 0, 1 or 2/],
    ['a program shorter than its step count', [1, 4, 1, 2, 0, 4, 1, Neg, 0, 0, 0], /has 11 fields, expected 16 for its program/],
    ['more registers than the addon has', [1, 4, 1, 40, 0, 4], /expected n >= 0, at least one step and at most 32 registers/],
    ['an input slot past the table', [1, 4, 1, 1, 5, 4, 1, Neg, 0, 0, 0], /names slot 5 for input 0, expected one below 2/],
    ['an output shorter than n', [1, 8, 1, 1, 0, 4, 1, Neg, 0, 0, 0], /out is slot 1 of 16 bytes, expected 32/],
  ];
  for (const [what, fields, message] of bad) {
    it(`refuses a fused instruction with ${what}, writing nothing`, () => {
      const out = Float32Array.of(9, 9, 9, 9);
      // a valid instruction first: it must not run either
      const first: Instruction = { op: 'unary', fields: [Neg, 0, 1, 4, floatBits(0)] };
      expect(() => runOn([first, { op: 'fused', fields }], [Float32Array.of(1, 2, 3, 4), out])).toThrow(message);
      expect(Array.from(out)).toEqual([9, 9, 9, 9]);
    });
  }
});

function model() {
  const w = tf.variable(tf.tensor2d(lcg(15, 4), [5, 3]));
  const b = tf.variable(tf.tensor1d(lcg(3, 5)));
  const x = tf.tensor2d(lcg(40, 6), [8, 5]);
  const y = tf.tensor2d(lcg(24, 8), [8, 3]);
  return { w, b, x, y };
}
type Model = ReturnType<typeof model>;
const step = (m: Model, lr: number) => {
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.squaredDifference(tf.relu(tf.add(tf.matMul(m.x, m.w), m.b)), m.y)),
    [m.w, m.b],
  );
  for (const v of [m.w, m.b]) v.assign(tf.sub(v, tf.mul(grads[v.name]!, tf.scalar(lr))));
  tf.dispose(Object.values(grads));
  return [value];
};

function record(m: Model, passes: boolean) {
  registerPlanLowering('native', nativePlanLowering(addon!, native, { fuse: passes, foldBias: passes }));
  return recordPlan((lr) => step(m, lr), [m.x, m.y]);
}

describe.skipIf(skip)('a recorded step replayed with and without fusion and bias folding', () => {
  afterAll(async () => {
    registerPlanLowering('native', nativePlanLowering(addon!, native));
    await tf.setBackend('cpu');
  });

  it('gives the same losses and parameters bit for bit over 10 steps, in fewer instructions and a smaller arena', async () => {
    await tf.setBackend('native');
    const [a, b] = [model(), model()];
    const [plain, fused] = [record(a, false), record(b, true)];
    expect([plain.stats.executor, fused.stats.executor]).toEqual(['backend', 'backend']);
    expect(fused.stats.kernelCalls).toBeLessThan(plain.stats.kernelCalls);
    expect(fused.stats.arenaBytes).toBeLessThan(plain.stats.arenaBytes);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      const [la] = plain.replay([a.x, a.y], { lr: 0.05 }) as [tf.Tensor];
      const [lb] = fused.replay([b.x, b.y], { lr: 0.05 }) as [tf.Tensor];
      expect(lb.dataSync()).toEqual(la.dataSync());
      tf.dispose([la, lb]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(new Uint32Array((b.w.dataSync() as Float32Array).buffer)).toEqual(new Uint32Array((a.w.dataSync() as Float32Array).buffer));
    expect(new Uint32Array((b.b.dataSync() as Float32Array).buffer)).toEqual(new Uint32Array((a.b.dataSync() as Float32Array).buffer));
    plain.dispose();
    fused.dispose();
    tf.dispose([a, b].flatMap((m) => [m.w, m.b, m.x, m.y]));
  });
});
