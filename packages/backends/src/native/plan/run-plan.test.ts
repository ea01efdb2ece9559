// The addon's runPlan instruction by instruction: the ops only the plan has (reduceMax, cast, oneHot, select,
// logical, the int loop, copy, fill) against reference loops on odd shapes, and malformed plans, which must
// throw a message naming what is wrong and write nothing. Skips where the addon is not built.
import { describe, expect, it } from 'vitest';
import { PLAN_OPS, loadNative, planLayoutMismatch } from '@logitlab/native';
import { untestableReason } from '../../../test/kernel-test-util';
import { floatBits } from '../geometry';

const skip = await untestableReason('native');
const loaded = loadNative();
const addon = loaded.ok ? loaded.addon : undefined;
const code = (name: string) => PLAN_OPS.findIndex((o) => o.name === name);

/** One instruction over two arrays: slot 0 = all of `x`, slot 1 = all of `out` (buffers 1 and 2; 0 is an unused arena). */
function run1(
  op: string,
  fields: number[],
  x: Float32Array | Int32Array | Uint8Array,
  out: Float32Array | Int32Array | Uint8Array,
  extra?: Uint8Array,
) {
  const slots = [1, 0, x.byteLength, 2, 0, out.byteLength, ...(extra ? [3, 0, extra.byteLength] : [])];
  const buffers = [new Uint8Array(64), x, out, ...(extra ? [extra] : [])];
  addon!.runPlan(Int32Array.from([code(op), fields.length, ...fields]), Int32Array.from(slots), buffers);
}

const lcg = (n: number, seed = 7) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32) * 8 - 4);
};

describe.skipIf(skip)('runPlan: the plan-only ops against reference loops', () => {
  it('reduceMax over the middle of [5, 7, 3] (outer 5, reduced 7, inner 3), NaN sticking like tfjs-cpu', () => {
    const x = lcg(105);
    x[4] = Number.NaN;
    const out = new Float32Array(15);
    run1('reduceMax', [0, 1, 5, 7, 3], x, out);
    const want = new Float32Array(15);
    for (let o = 0; o < 5; o++)
      for (let j = 0; j < 3; j++) {
        let m = x[o * 21 + j]!;
        for (let r = 1; r < 7; r++) {
          const v = x[o * 21 + r * 3 + j]!;
          if (Number.isNaN(v) || v > m) m = v;
        }
        want[o * 3 + j] = m;
      }
    expect(Array.from(out)).toEqual(Array.from(want));
    expect(Number.isNaN(out[1])).toBe(true);
  });

  it('cast float32 -> int32 truncates toward zero, -> bool is x !== 0 (NaN true); int32 -> float32', () => {
    const x = Float32Array.from([1.9, -1.9, 0, -0, Number.NaN, 7]);
    const i = new Int32Array(6);
    run1('cast', [0, 1, 6, 0, 1], x, i);
    expect(Array.from(i)).toEqual([1, -1, 0, 0, 0, 7]);
    const b = new Uint8Array(6);
    run1('cast', [0, 1, 6, 0, 2], x, b);
    expect(Array.from(b)).toEqual([1, 1, 0, 0, 1, 1]);
    const f = new Float32Array(3);
    run1('cast', [0, 1, 3, 1, 0], Int32Array.from([-3, 0, 16777217]), f);
    expect(Array.from(f)).toEqual([-3, 0, 16777216]);
  });

  it('oneHot of 5 labels at depth 3 (one out of range stays all off), as float32 and int32', () => {
    const labels = Int32Array.from([0, 2, 1, 3, -1]);
    const out = new Float32Array(15);
    run1('oneHot', [0, 1, 5, 3, floatBits(1), floatBits(0), 0], labels, out);
    expect(Array.from(out)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const ints = new Int32Array(15);
    run1('oneHot', [0, 1, 5, 3, floatBits(5), floatBits(-1), 1], labels, ints);
    expect(Array.from(ints.slice(0, 6))).toEqual([5, -1, -1, -1, -1, 5]);
  });

  it('select, logical and/or/not with a scalar side, the wrapping int loop, copy and fill', () => {
    const cond = Uint8Array.from([1, 0, 1]);
    const a = Float32Array.from([1, 2, 3]);
    const out = new Float32Array(3);
    // slots: 0 cond, 1 out, 2 a; b is a itself reversed through a second buffer is overkill: select a against out's zeros
    run1('select', [0, 2, 1, 1, 3, 4], cond, out, new Uint8Array(a.buffer));
    expect(Array.from(out)).toEqual([1, 0, 3]);
    const bools = new Uint8Array(3);
    run1('logical', [0, 0, 1, 1, 3, 3, 3], cond, bools);
    expect(Array.from(bools)).toEqual([0, 0, 0]); // cond && (all zeros) read from the output before it is written
    const not = new Uint8Array(3);
    run1('logical', [2, 0, -1, 1, 3, 0, 0], cond, not);
    expect(Array.from(not)).toEqual([0, 1, 0]);
    const big = Int32Array.from([2 ** 31 - 1, 5]);
    const sum = new Int32Array(2);
    run1('intBinary', [0, 0, 0, 1, 2, 2, 2], big, sum);
    expect(Array.from(sum)).toEqual([-2, 10]);
    const copied = new Float32Array(3);
    run1('copy', [0, 1, 12], a, copied);
    expect(Array.from(copied)).toEqual([1, 2, 3]);
    run1('fill', [1, 8], a, copied);
    expect(Array.from(copied)).toEqual([0, 0, 3]);
  });
});

describe.skipIf(skip)('runPlan: malformed plans throw before running anything', () => {
  const cases: Array<[string, number[], number[], RegExp]> = [
    ['an unknown op code', [99, 0], [1, 0, 4], /unknown op code 99/],
    ['a truncated instruction', [code('copy'), 3, 0], [1, 0, 4], /has 3 fields|truncated/],
    ['too few fields', [code('copy'), 2, 0, 1], [1, 0, 4, 1, 0, 4], /\(copy\) has 2 fields, expected 3/],
    ['a slot id past the table', [code('copy'), 3, 0, 5, 4], [1, 0, 4], /reads slot 5, expected -1 or below 1/],
    ['a slot past its buffer', [code('copy'), 3, 0, 1, 4], [1, 0, 4, 1, 8, 4], /slot 1 is bytes 8\.\.12 of buffer 1, which has 4 bytes/],
    ['a slot naming a missing buffer', [code('fill'), 2, 0, 4], [7, 0, 4], /names buffer 7, expected one of 2/],
  ];
  for (const [what, instr, slots, message] of cases)
    it(what, () => {
      const x = Float32Array.from([42]);
      // a valid fill first: it must not have run when the bad instruction after it is found
      const prog = [code('fill'), 2, 0, 4, ...instr];
      expect(() => addon!.runPlan(Int32Array.from(prog), Int32Array.from(slots), [new Uint8Array(64), x])).toThrow(message);
      expect(x[0]).toBe(42);
    });

  it('buffers that are not typed arrays, and slot tables not in triples', () => {
    expect(() => addon!.runPlan(new Int32Array(0), new Int32Array(0), [[1, 2] as unknown as Float32Array])).toThrow(
      /buffer 0 must be a typed array/,
    );
    expect(() => addon!.runPlan(new Int32Array(0), new Int32Array(2), [])).toThrow(/triples/);
    expect(() => addon!.runPlan(new Int32Array(0), new Int32Array(0), [new Int16Array(1) as unknown as Float32Array])).toThrow(
      /Float32Array, Int32Array, Uint8Array or Float64Array/,
    );
  });
});

describe('the plan layouts: one definition on each side, compared at load', () => {
  it('matches the addon (where built), and a drifted layout is named with both field lists', () => {
    if (addon) expect(planLayoutMismatch(addon.planLayout())).toBeUndefined();
    const drifted = PLAN_OPS.map((o) => ({ name: o.name as string, fields: o.fields as string, types: o.types as string }));
    drifted[3] = { name: 'matMul', fields: 'slot:a,slot:b,slot:c', types: 'f32,f32,f32' };
    expect(planLayoutMismatch(drifted)).toBe(
      `plan op 3 is matMul(slot:a,slot:b,slot:c; f32,f32,f32) in the addon, expected matMul(${PLAN_OPS[3].fields}; ${PLAN_OPS[3].types}) (src/plan-layout.h and src/plan-ops.ts differ)`,
    );
    // the declared slot types are part of the layout: a drift there alone is named too
    const retyped = PLAN_OPS.map((o) => ({ name: o.name as string, fields: o.fields as string, types: o.types as string }));
    retyped[6] = { ...retyped[6]!, types: 'f32,f32,u8' };
    expect(planLayoutMismatch(retyped)).toMatch(
      /^plan op 6 is binary\(op,slot:a,.*; f32,f32,u8\) in the addon, expected binary\(.*; f32,f32,f32\)/,
    );
    expect(planLayoutMismatch(drifted.slice(0, 2))).toMatch(
      /the addon's plan has 2 ops, this package's \d+ \(op 2: conv2dBackwardFilter is missing/,
    );
  });
});
