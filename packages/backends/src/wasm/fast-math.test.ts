import { describe, expect, it } from 'vitest';
import { expInto, tanhInto } from './fast-math';
import type { Float32Map } from './unary-float32';

// float32 values by their order: ordinal 0 is +0, 1 the smallest subnormal, -1 the smallest negative one
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function ordinal(v: number): number {
  f32[0] = v;
  return u32[0]! >= 0x80000000 ? -(u32[0]! - 0x80000000) : u32[0]!;
}
function fromOrdinal(n: number): number {
  u32[0] = n < 0 ? 0x80000000 + -n : n;
  return f32[0]!;
}

interface Sweep {
  count: number;
  exact: number;
  worstUlps: number;
  worstAt: number;
}

/** Every `stride`-th float32 from lo to hi through `map`, against the float64 reference rounded once. */
function sweep(map: Float32Map, reference: (x: number) => number, lo: number, hi: number, stride = 1): Sweep {
  const result: Sweep = { count: 0, exact: 0, worstUlps: 0, worstAt: Number.NaN };
  const x = new Float32Array(1 << 16);
  const y = new Float32Array(x.length);
  for (let n = ordinal(lo), end = ordinal(hi); n <= end;) {
    let filled = 0;
    for (; filled < x.length && n <= end; n += stride) x[filled++] = fromOrdinal(n);
    map(x, y);
    for (let i = 0; i < filled; i++) {
      const got = y[i]!;
      const want = Math.fround(reference(x[i]!));
      result.count++;
      if (Object.is(got, want)) {
        result.exact++;
        continue;
      }
      // zeros of different signs, or a NaN against a number, count as infinitely far
      const ulps = Number.isNaN(got) || Number.isNaN(want) || got === 0 ? Infinity : Math.abs(ordinal(got) - ordinal(want));
      if (ulps > result.worstUlps) {
        result.worstUlps = ulps;
        result.worstAt = x[i]!;
      }
    }
  }
  return result;
}

/** One value through `map`. */
const one = (map: Float32Map, x: number): number => {
  const out = new Float32Array(1);
  map(Float32Array.of(x), out);
  return out[0]!;
};

// [lo, hi, stride]: dense where a branch, a clamp or a table step changes the computation, strided across
// the range training meets. exp's n = round(64 x / ln 2) steps every ln2/64 ~ 0.0108; tanh's input to it is 2x.
const EXP_RANGES: Array<[number, number, number]> = [
  [-1.5e-41, 1.5e-41, 1], // subnormals and both zeros
  [-0.007, -0.004, 3], // the first table steps, at +-ln2/128
  [0.004, 0.007, 3],
  [88, 89.5, 1], // overflow to +Inf at 88.7228
  [-104.5, -102.5, 1], // gradual underflow to subnormals and 0
  [-20, 20, 1009],
];
const TANH_RANGES: Array<[number, number, number]> = [
  [-1.5e-41, 1.5e-41, 1],
  [2 ** -13, 2 ** -11, 1], // where float32 tanh(x) stops being x
  [-(2 ** -11), -(2 ** -13), 1],
  [0.004, 0.0065, 3], // 2x crosses the first table step, ln2/128
  [8.9, 10.5, 1], // where float32 tanh reaches 1, and the clamp at 10
  [-10.5, -8.9, 1],
  [-20, 20, 1009],
];

describe('fast float32 exp and tanh computed in float64', () => {
  it.each([
    ['exp', expInto, Math.exp, EXP_RANGES],
    ['tanh', tanhInto, Math.tanh, TANH_RANGES],
  ] as const)('%s is within 1 ulp of the correctly rounded float32 on every swept value', (_name, f, reference, ranges) => {
    for (const [lo, hi, stride] of ranges) {
      const s = sweep(f, reference, lo, hi, stride);
      expect(s.count).toBeGreaterThan(1000);
      expect(s.worstUlps, `worst at ${s.worstAt} in [${lo}, ${hi}]`).toBeLessThanOrEqual(1);
      // float64 carries 29 bits more than float32: a miss needs the exact value within ~1e-15 of a tie
      expect(s.exact / s.count).toBeGreaterThan(0.9999);
    }
  });

  it('gives the special values float32 gives', () => {
    const specials = [Number.NaN, Infinity, -Infinity, 0, -0, 2 ** -149, -(2 ** -149), 3.4028234663852886e38, -3.4028234663852886e38];
    for (const x of specials) {
      expect(one(expInto, x)).toBe(Math.fround(Math.exp(x)));
      expect(one(tanhInto, x)).toBe(Math.fround(Math.tanh(x)));
    }
    expect(Object.is(one(tanhInto, -0), -0)).toBe(true);
    expect(one(tanhInto, -Infinity)).toBe(-1);
    expect(one(expInto, 88.72283)).toBe(Math.fround(3.402798519021476e38)); // the last finite float32 exp...
    expect(one(expInto, 88.72284)).toBe(Infinity); // ...one float32 up it overflows
    expect(one(expInto, -103.9)).toBe(2 ** -149); // the smallest subnormal, not 0
    expect(one(expInto, -104)).toBe(0);
  });

  it('maps in place', () => {
    const x = Float32Array.of(-1, 0.5, 3);
    const expected = Array.from(x, (v) => Math.fround(Math.tanh(v)));
    tanhInto(x, x);
    expect(Array.from(x)).toEqual(expected);
  });
});
