// exp and tanh of float32 values, computed in float64 without Math.exp / Math.tanh per element: V8's own
// cost ~17-20 ns per element, and tfjs-backend-wasm 4.22's stock Tanh (17.5 ns) and Exp (7 ns) are no
// faster. float64 carries 29 bits more than float32 needs, so a short polynomial after range reduction
// leaves the float32 result within 1 ulp of the correctly rounded one (./fast-math.test.ts sweeps every
// float32 in the ranges that matter and counts exact matches).
//
// exp(x) = 2^(n/64) * e^r with n = round(64 x / ln 2) and |r| <= ln2 / 128 ~ 0.0054. 2^(n/64) is two
// table loads (2^(n >> 6), an exact power of two, times 2^((n & 63) / 64)); e^r - 1 is a degree-5 Taylor
// polynomial, ~6e-15 relative error, far below float32's 6e-8.
const FRACTION = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
// 2^(n >> 6) for n >> 6 in [-160, 139] (the clamped arguments below need [-151, 129]), at index + 160
const WHOLE = Float64Array.from({ length: 300 }, (_, k) => 2 ** (k - 160));

// The scalar constants are declared inside the loops' functions, from literals: the bundler emits
// module-level constants as `var`, which V8 cannot fold into the loop (measured ~1.6x slower here).
//
// - 64 / ln2 and ln2 / 64: the reduction's step.
// - Adding and subtracting 1.5 * 2^52 rounds a float64 of magnitude < 2^51 to the nearest integer: Math.round
//   cost ~12 ns per element in V8 here. `| 0` then gives the tables small-integer indices.
// - exp clamps its argument to [-104, 89] instead of branching: float32 exp is +Inf from 88.73 up
//   (exp(89) rounds to +Inf) and 0 from -103.98 down (exp(-104) is below half the smallest subnormal,
//   2^-150), so the clamped value rounds to the same float32. NaN fails both comparisons and flows through.
// - tanh clamps to [-10, 10]: beyond +-9.01 float32 tanh is +-1 (1 - |tanh x| ~ 2e^(-2|x|) is under half an
//   ulp of 1); the clamp keeps e^(2x) finite, and tanh(+-Inf) = +-1 falls out.

/** e^r - 1 for |r| <= ln2 / 128. */
function expm1Reduced(r: number): number {
  return r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
}

/** out[i] = exp(x[i]) rounded to float32 (out may be x); NaN stays NaN, the ends give +Inf and 0. */
export function expInto(x: Float32Array, out: Float32Array): void {
  const whole = WHOLE;
  const fraction = FRACTION;
  const perLn2 = 64 / Math.LN2;
  const ln2Per = Math.LN2 / 64;
  const rounder = 1.5 * 2 ** 52;
  const high = 89;
  const low = -104;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const c = v > high ? high : v < low ? low : v;
    const n = c * perLn2 + rounder - rounder;
    const k = n | 0;
    const scale = whole[(k >> 6) + 160]! * fraction[k & 63]!;
    out[i] = scale + scale * expm1Reduced(c - n * ln2Per);
  }
}

/** out[i] = tanh(x[i]) rounded to float32 (out may be x); tanh(-0) = -0, NaN stays NaN, tanh(+-Inf) = +-1. */
export function tanhInto(x: Float32Array, out: Float32Array): void {
  const whole = WHOLE;
  const fraction = FRACTION;
  const perLn2 = 64 / Math.LN2;
  const ln2Per = Math.LN2 / 64;
  const rounder = 1.5 * 2 ** 52;
  const high = 10;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    // tanh x = (e^2x - 1) / (e^2x + 1) = e / (e + 2) with e = expm1(2x), for either sign: e + 2 >= 1 never
    // cancels, so the relative error stays ~1e-15 everywhere, subnormals included. No branch on the
    // sign (random signs mispredict it half the time).
    const y = 2 * (v > high ? high : v < -high ? -high : v);
    const n = y * perLn2 + rounder - rounder;
    const k = n | 0;
    const scale = whole[(k >> 6) + 160]! * fraction[k & 63]!;
    // for n = 0 scale is exactly 1 and e is the polynomial alone: no 1 added and taken away again
    const e = scale * expm1Reduced(y - n * ln2Per) + (scale - 1);
    // expm1 gives +0 for -0, so zeros (both signs) are written as they came
    out[i] = v === 0 ? v : e / (e + 2);
  }
}
