// The elementwise, reduction, shape and batch-norm instructions, called through runOp as the eager kernels call
// them, against reference loops: odd shapes, broadcasting on several axes, ranks 0, 1 and 6, empty tensors, NaN and
// infinities. Arithmetic is compared to the bit (float32 in C++ without contraction, Math.fround per operation here);
// the vector-libm functions (exp, tanh, sigmoid, log) to a few ulps.
import { describe, expect, it } from 'vitest';
import { BINARY, COMPARE, GRAD, UNARY } from './index';
import { addon, broadcastReference, floatBits, runOp, shapesTail, size, strides, unravel, values } from '../test/addon-util';

const fr = Math.fround;
const bits = (v: ArrayLike<number>) => Array.from(v, (x) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : x));

const ARITHMETIC: Record<keyof typeof BINARY, (x: number, y: number) => number> = {
  Add: (x, y) => fr(x + y),
  Sub: (x, y) => fr(x - y),
  Multiply: (x, y) => fr(x * y),
  RealDiv: (x, y) => fr(x / y),
  SquaredDifference: (x, y) => fr(fr(x - y) * fr(x - y)),
};
const COMPARISONS: Record<keyof typeof COMPARE, (x: number, y: number) => boolean> = {
  Greater: (x, y) => x > y,
  GreaterEqual: (x, y) => x >= y,
  Less: (x, y) => x < y,
  LessEqual: (x, y) => x <= y,
  Equal: (x, y) => x === y,
  NotEqual: (x, y) => x !== y,
};

// [a's shape, b's shape, out's shape]: the broadcasting cases the loops treat apart, and the odd ones
const BROADCASTS: Array<[string, number[], number[], number[]]> = [
  ['rank 0 with rank 0', [], [], []],
  ['rank 1 with a scalar', [7], [], [7]],
  ['a scalar with rank 1', [1], [5], [5]],
  ['a row over a [3, 5] matrix', [3, 5], [5], [3, 5]],
  ['a column over a [4, 3] matrix', [4, 3], [4, 1], [4, 3]],
  ['both sides broadcast: [3, 1, 5] with [4, 1]', [3, 1, 5], [4, 1], [3, 4, 5]],
  ['rank 6, broadcast on alternate axes', [2, 1, 3, 1, 2, 3], [1, 2, 1, 2, 1, 3], [2, 2, 3, 2, 2, 3]],
  ['an empty output whose last axis is 0', [2, 1], [1, 0], [2, 0]],
  ['an empty leading axis', [0, 3], [3], [0, 3]],
];

describe.skipIf(addon === undefined)('runOp: elementwise instructions against reference loops', () => {
  it.each(BROADCASTS)('binary, every op: %s', (_, aShape, bShape, outShape) => {
    const a = values(size(aShape), 3, true);
    const b = values(size(bShape), 5, true);
    for (const [name, code] of Object.entries(BINARY)) {
      const out = new Float32Array(size(outShape)).fill(42);
      runOp('binary', [code, 0, 1, 2, ...shapesTail(aShape, bShape, outShape)], a, b, out);
      const f = ARITHMETIC[name as keyof typeof BINARY];
      expect(bits(out), name).toEqual(bits(broadcastReference(a, aShape, b, bShape, outShape, f)));
    }
  });

  it.each(BROADCASTS)('compare, every op, NaN comparing false (but !=): %s', (_, aShape, bShape, outShape) => {
    const a = values(size(aShape), 3, true);
    const b = values(size(bShape), 5, true);
    if (b.length > 1) b[1] = a[1] ?? 0; // one equal pair where there is room
    for (const [name, code] of Object.entries(COMPARE)) {
      const out = new Uint8Array(size(outShape)).fill(9);
      runOp('compare', [code, 0, 1, 2, ...shapesTail(aShape, bShape, outShape)], a, b, out);
      const f = COMPARISONS[name as keyof typeof COMPARE];
      expect(Array.from(out), name).toEqual(broadcastReference(a, aShape, b, bShape, outShape, (x, y) => (f(x, y) ? 1 : 0)));
    }
  });

  it('unary: every op over 1,031 values with NaN and both infinities (Step with alpha 0.25)', () => {
    const x = values(1031, 11, true);
    x[5] = -0;
    x[6] = 0;
    const exact: Partial<Record<keyof typeof UNARY, (v: number) => number>> = {
      Relu: (v) => (Number.isNaN(v) ? v : v > 0 ? v : 0),
      Step: (v) => (Number.isNaN(v) ? v : v > 0 ? 1 : 0.25),
      Neg: (v) => -v,
      Square: (v) => fr(v * v),
      Sqrt: (v) => fr(Math.sqrt(v)),
      Rsqrt: (v) => fr(1 / Math.sqrt(v)),
    };
    const approx: Partial<Record<keyof typeof UNARY, (v: number) => number>> = {
      Exp: Math.exp,
      Tanh: Math.tanh,
      Sigmoid: (v) => 1 / (1 + Math.exp(-v)),
      Log: Math.log,
    };
    for (const [name, code] of Object.entries(UNARY)) {
      const y = new Float32Array(x.length).fill(42);
      runOp('unary', [code, 0, 1, x.length, floatBits(0.25)], x, y);
      const e = exact[name as keyof typeof UNARY];
      if (e) {
        expect(bits(y), name).toEqual(bits(Array.from(x, e)));
        continue;
      }
      const f = approx[name as keyof typeof UNARY]!;
      x.forEach((v, i) => {
        const want = fr(f(v));
        if (!Number.isFinite(want)) expect(bits([y[i]!]), `${name}(${v})`).toEqual(bits([want]));
        else expect(Math.abs(y[i]! - want), `${name}(${v})`).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(want)));
      });
    }
  });

  it('grad: each fused gradient gives the stock tfjs formula to the bit, relu passing NaN through', () => {
    const n = 517;
    const [dy, a, b] = [values(n, 2, true), values(n, 4, true), values(n, 6)];
    const want: Record<keyof typeof GRAD, (i: number) => number> = {
      Tanh: (i) => fr(fr(1 - fr(a[i]! * a[i]!)) * dy[i]!),
      Sigmoid: (i) => fr(dy[i]! * fr(a[i]! * fr(1 - a[i]!))),
      Relu: (i) => fr(dy[i]! * (Number.isNaN(a[i]!) ? a[i]! : a[i]! > 0 ? 1 : 0)),
      SquaredDifference: (i) => fr(dy[i]! * fr(2 * fr(a[i]! - b[i]!))),
    };
    for (const [name, code] of Object.entries(GRAD)) {
      const out = new Float32Array(n).fill(42);
      if (name === 'SquaredDifference') runOp('grad', [code, 0, 1, 2, 3, n], dy, a, b, out);
      else runOp('grad', [code, 0, 1, -1, 2, n], dy, a, out);
      expect(bits(out), name).toEqual(bits(Array.from({ length: n }, (_, i) => want[name as keyof typeof GRAD](i))));
    }
  });

  it.each([
    ['a row sum in doubles (inner 1)', 3, 1001, 1],
    ['the middle of [5, 7, 3], as a mean', 5, 7, 3],
    ['a single reduced element', 4, 1, 6],
    ['nothing to reduce: zeros', 2, 0, 3],
  ])('reduceSum: %s', (_name, outer, reduced, inner) => {
    const x = values(outer * reduced * inner, 9);
    const scale = reduced > 1 && inner > 1 ? 1 / reduced : 1;
    const out = new Float32Array(outer * inner).fill(42);
    runOp('reduceSum', [0, 1, outer, reduced, inner, floatBits(scale)], x, out);
    const want = Array.from({ length: outer * inner }, (_, k) => {
      const [o, j] = [Math.floor(k / inner), k % inner];
      // inner 1: a double accumulator (tfjs-cpu's JS sum); else float32 row by row, then the scale
      let s = 0;
      for (let r = 0; r < reduced; r++) s = inner === 1 ? s + x[(o * reduced + r) * inner + j]! : fr(s + x[(o * reduced + r) * inner + j]!);
      return inner === 1 ? fr(s * fr(scale)) : scale === 1 ? s : fr(s * fr(scale));
    });
    expect(bits(out)).toEqual(bits(want));
  });

  it.each([
    ['rank 0', [], []],
    ['rank 1', [7], [0]],
    ['[3, 5] swapped', [3, 5], [1, 0]],
    ['rank 6 with odd sizes', [2, 3, 1, 4, 5, 3], [4, 0, 5, 2, 1, 3]],
    ['an empty axis', [3, 0, 2], [2, 0, 1]],
  ])('transpose: %s', (_name, shape, perm) => {
    const x = values(size(shape), 13);
    const outShape = perm.map((p) => shape[p]!);
    const out = new Float32Array(size(outShape)).fill(42);
    runOp('transpose', [0, 1, shape.length, ...shape, ...perm], x, out);
    const st = strides(shape);
    const want = Array.from({ length: size(outShape) }, (_, i) => {
      const index = unravel(i, outShape);
      return x[perm.reduce((flat, p, k) => flat + index[k]! * st[p]!, 0)]!;
    });
    expect(bits(out)).toEqual(bits(want));
  });

  it.each([
    ['rank 0', [], []],
    ['rank 1, three times', [5], [3]],
    ['a broadcast scalar along the last axis', [4, 1], [1, 6]],
    ['rank 6 with odd reps', [2, 1, 3, 1, 2, 1], [1, 3, 2, 2, 1, 3]],
    ['zero reps', [3, 2], [0, 2]],
  ])('tile: %s', (_name, shape, reps) => {
    const x = values(size(shape), 17);
    const outShape = shape.map((d, k) => d * reps[k]!);
    const out = new Float32Array(size(outShape)).fill(42);
    runOp('tile', [0, 1, shape.length, ...shape, ...reps], x, out);
    const st = strides(shape);
    const want = Array.from({ length: size(outShape) }, (_, i) => {
      const index = unravel(i, outShape);
      return x[index.reduce((flat, v, k) => flat + (v % shape[k]!) * st[k]!, 0)]!;
    });
    expect(bits(out)).toEqual(bits(want));
  });

  it('batchNorm: add + (x - sub) * mul per channel in doubles, then float32, over 7 rows of 5 channels with NaN', () => {
    const [rows, channels] = [7, 5];
    const x = values(rows * channels, 19, true);
    const mul = Float64Array.from([0.5, -1.25, 1 / 3, 2, 1e-3]);
    const sub = Float64Array.from([0.1, -0.2, 0, 1 / 7, 2]);
    const add = Float64Array.from([0, 1, -1, 0.5, 1 / 9]);
    const out = new Float32Array(rows * channels).fill(42);
    runOp('batchNorm', [0, 1, 2, 3, 4, rows, channels], x, out, mul, sub, add);
    const want = Array.from(x, (v, i) => fr(add[i % channels]! + (v - sub[i % channels]!) * mul[i % channels]!));
    expect(bits(out)).toEqual(bits(want));
  });
});
