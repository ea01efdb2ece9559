// Malformed runOp calls fail with the addon's typed error (an Error whose code is LOGITLAB_NATIVE_ARG, naming the op,
// the array and what was expected), write nothing, and leave the process running; and every layout declares a type
// for each of its slots, the same on both sides.
import { describe, expect, it } from 'vitest';
import { BINARY, PLAN_OPS, type PlanOpName, UNARY, planLayoutMismatch } from './index';
import { addon, code, floatBits, runOp, values } from '../test/addon-util';

/** The error a call throws (failing the test when it does not throw). */
function errorOf(call: () => void): Error & { code?: string } {
  try {
    call();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to throw');
}

function refused(call: () => void, message: string | RegExp): void {
  const error = errorOf(call);
  expect(error).toBeInstanceOf(Error);
  expect(error.code).toBe('LOGITLAB_NATIVE_ARG');
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

const SLOT_TYPES = new Set(['f32', 'i32', 'u8', 'f64', 'any']);

describe('the instruction layouts declare their slot types', () => {
  it.each(PLAN_OPS.map((l) => [l.name, l] as const))('%s: one known type per slot field', (_, layout) => {
    const slots = layout.fields.split(',').filter((f) => f.startsWith('slot:'));
    const types = layout.types.split(',');
    expect(types).toHaveLength(slots.length);
    for (const t of types) expect(SLOT_TYPES).toContain(t);
  });

  it.skipIf(addon === undefined)("match the addon's copy, types included", () => {
    expect(planLayoutMismatch(addon!.planLayout())).toBeUndefined();
    expect(addon!.planLayout()).toEqual(PLAN_OPS.map((l) => ({ ...l })));
  });
});

describe.skipIf(addon === undefined)('runOp refuses malformed calls before writing anything', () => {
  const a = values(6);
  const out = new Float32Array(6);
  const untouched = () => expect(out.every((v) => v === 42)).toBe(true);
  const reset = () => out.fill(42);
  const relu = [UNARY.Relu, 0, 1, 6, 0];

  it('a code that is not one whole instruction', () => {
    reset();
    refused(() => addon!.runOp(new Float32Array(7) as unknown as Int32Array, a, out), 'code must be an Int32Array');
    refused(
      () => addon!.runOp(new Int32Array(0), a, out),
      "runOp's code must be one instruction [op, fieldCount, ...fields]: it has 0 entries",
    );
    // the field count says 5 but 6 follow: not silently a second instruction
    const long = Int32Array.from([...code('unary', relu), 0]);
    refused(() => addon!.runOp(long, a, out), /it has 8 entries, its field count says 5/);
    refused(() => addon!.runOp(Int32Array.from([99, 0])), 'plan instruction 0 has unknown op code 99');
    refused(() => addon!.runOp(Int32Array.from([-1, 0])), 'plan instruction 0 has unknown op code -1');
    untouched();
  });

  it('a field count other than the layout names', () => {
    reset();
    refused(() => runOp('unary', relu.slice(0, 4), a, out), 'plan instruction 0 (unary) has 4 fields, expected 5');
    refused(() => runOp('unary', [...relu, 0], a, out), 'plan instruction 0 (unary) has 6 fields, expected 5');
    refused(() => runOp('batchNorm', [0, 1, 2, 3, 4, 1], a, out), 'plan instruction 0 (batchNorm) has 6 fields, expected 7');
    refused(() => runOp('binary', [BINARY.Add, 0, 1, 2], a, a, out), 'plan instruction 0 (binary) has 4 fields, expected 5 or more');
    refused(() => runOp('binary', [BINARY.Add, 0, 1, 2, 2, 2, 3], a, a, out), /\(binary\) has 2 shape entries, expected 3 x rank 2/);
    refused(() => runOp('tile', [0, 1, 2, 2, 3, 1], a, out), /\(tile\) has 3 shape entries, expected 2 x rank 2/);
    untouched();
  });

  it('a buffer of another type than the layout declares, or not a typed array at all', () => {
    reset();
    refused(
      () => runOp('binary', [BINARY.Add, 0, 1, 2, 1, 6, 6, 6], new Float64Array(6), a, out),
      'runOp (binary) a is buffer 0, a Float64Array, expected a Float32Array',
    );
    refused(
      () => runOp('compare', [0, 0, 1, 2, 1, 6, 6, 6], a, a, new Int32Array(6)),
      'runOp (compare) out is buffer 2, an Int32Array, expected a Uint8Array',
    );
    // batchNorm's statistics are doubles: float32 ones would be read as half as many garbage values
    const f64 = new Float64Array(3);
    refused(
      () => runOp('batchNorm', [0, 1, 2, 3, 4, 2, 3], a, out, f64, new Float32Array(6), f64),
      'runOp (batchNorm) sub is buffer 3, a Float32Array, expected a Float64Array',
    );
    refused(() => addon!.runOp(code('unary', relu), a, [1, 2, 3] as unknown as Float32Array), 'buffer 1 must be a typed array or null');
    refused(
      () => addon!.runOp(code('unary', relu), a, new Int16Array(6) as unknown as Float32Array),
      /buffer 1 must be a Float32Array, Int32Array/,
    );
    refused(() => addon!.runOp(code('unary', relu), a, 7 as unknown as Float32Array), 'buffer 1 must be a typed array or null');
    untouched();
  });

  it('a buffer shorter than the fields say, for every moved instruction', () => {
    reset();
    const short = values(5);
    const f64 = new Float64Array(3);
    const cases: Array<[PlanOpName, number[], Array<Float32Array | Uint8Array | Float64Array>, string]> = [
      ['binary', [BINARY.Add, 0, 1, 2, 2, 2, 3, 2, 3, 2, 3], [a, short, out], 'b is slot 1 of 20 bytes, expected 24'],
      ['compare', [0, 0, 1, 2, 1, 6, 6, 6], [a, a, new Uint8Array(5)], 'out is slot 2 of 5 bytes, expected 6'],
      ['unary', [UNARY.Exp, 0, 1, 6, 0], [short, out], 'x is slot 0 of 20 bytes, expected 24'],
      ['grad', [0, 0, 1, -1, 2, 6], [a, short, out], 'a is slot 1 of 20 bytes, expected 24'],
      ['reduceSum', [0, 1, 2, 4, 1, floatBits(1)], [a, out], 'x is slot 0 of 24 bytes, expected 32'],
      ['transpose', [0, 1, 2, 2, 3, 1, 0], [short, out], 'x is slot 0 of 20 bytes, expected 24'],
      ['tile', [0, 1, 1, 3, 3], [a, out], 'out is slot 1 of 24 bytes, expected 36'],
      ['batchNorm', [0, 1, 2, 3, 4, 2, 3], [a, out, f64, f64, new Float64Array(2)], 'add is slot 4 of 16 bytes, expected 24'],
    ];
    for (const [op, fields, buffers, what] of cases) refused(() => runOp(op, fields, ...buffers), `plan instruction 0 (${op}) ${what}`);
    // room for x ([2, 3, 1]) but not for out
    refused(
      () => runOp('reduceSum', [0, 1, 2, 3, 1, floatBits(1)], a, new Float32Array(1)),
      /\(reduceSum\) out is slot 1 of 4 bytes, expected 8/,
    );
    untouched();
  });

  it('a missing, out-of-range or negative field', () => {
    reset();
    refused(() => runOp('unary', [UNARY.Neg, 0, 5, 6, 0], a, out), 'plan instruction 0 (unary) reads slot 5, expected -1 or below 2');
    refused(() => runOp('unary', [UNARY.Neg, -1, 1, 6, 0], a, out), 'plan instruction 0 (unary) has no slot for x');
    refused(() => runOp('unary', [UNARY.Neg, 0, 1, -6, 0], a, out), 'plan instruction 0 (unary) has n = -6, expected >= 0');
    refused(() => runOp('reduceSum', [0, 1, 2, -3, 1, 0], a, out), 'plan instruction 0 (reduceSum) has a negative size');
    refused(
      () => runOp('batchNorm', [0, 1, 2, 3, 4, -1, 3], a, out, null, null, null),
      'plan instruction 0 (batchNorm) has a negative size',
    );
    refused(
      () => runOp('batchNorm', [0, 1, 2, 3, 4, 2, 3], a, out, null, null, null),
      /\(batchNorm\) mul is slot 2 of 0 bytes, expected 24/,
    );
    refused(() => runOp('grad', [3, 0, 1, -1, 2, 6], a, a, out), 'plan instruction 0 (grad) has no slot for b');
    // sizes that fit the arrays but shapes the loops would walk past them with
    refused(
      () => runOp('binary', [BINARY.Add, 0, 1, 2, 1, 3, 3, 5], a, a, out),
      "plan instruction 0 (binary) has axis 0 of sizes 3 and 3, which do not broadcast to out's 5",
    );
    refused(() => runOp('compare', [0, 0, 1, 2, 2, 2, 3, 3, 2, 2, 3], a, a, new Uint8Array(6)), /\(compare\) has axis 0 of sizes 2 and 3/);
    refused(
      () => runOp('transpose', [0, 1, 2, 2, 3, 0, 0], a, out),
      'plan instruction 0 (transpose) has perm 0 at 1, expected a permutation of 0..1',
    );
    refused(() => runOp('transpose', [0, 1, 2, 2, 3, 1, 2], a, out), /has perm 2 at 1, expected a permutation of 0..1/);
    refused(
      () => runOp('binary', [BINARY.Add, 0, 1, 2, 1, 6, 6, 6], a, a, out, a, a, a, a, a, a, a, a, a, a, a, a, a),
      'expected at most 16 arguments, got 17',
    );
    untouched();
    // and the process still runs the well-formed call
    runOp('unary', [UNARY.Neg, 0, 1, 6, 0], a, out);
    expect(Array.from(out)).toEqual(Array.from(a, (v) => -v));
  });
});
