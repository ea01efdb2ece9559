// The native Tanh, Exp, Sigmoid, Sqrt and the fused matmul's sigmoid/elu epilogue (glibc's vector libm, see
// packages/native/src/vecmath.h) against the cpu backend's kernels (double-precision Math.* rounded to float)
// over a sweep of ~230k floats: grids, every decade from denormals to 1e38, random bit patterns, and the
// special values. Skips where the addon is not built (see untestableReason).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { onBackend, untestableReason } from '../../test/kernel-test-util';

const skip = await untestableReason('native');

// the smallest denormal: results below 2^-126 are compared with a slack of a few of these (as ulps)
const DENORMAL = 2 ** -149;

function sweep(): Float32Array {
  const xs: number[] = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-8, -1e-8, 3e-8, 1e-30, -1e-30, 1e-40, -1e-40, DENORMAL, -DENORMAL];
  for (const v of [9, 9.01, 15, 88, 88.7, 88.73, 89, 100, 103, 104, 200, 1e30, 3.4e38]) xs.push(v, -v);
  for (let v = -20; v <= 20; v += 1e-3) xs.push(v);
  for (let v = -110; v <= 110; v += 0.01) xs.push(v);
  for (let e = -45; e <= 38.5; e += 0.01) xs.push(10 ** e, -(10 ** e));
  // random bit patterns: every exponent, NaN payloads, denormals (a fixed LCG, so failures reproduce)
  const bits = new Uint32Array(100_000);
  let s = 12345;
  for (let i = 0; i < bits.length; i++) bits[i] = s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
  return Float32Array.from([...xs, ...new Float32Array(bits.buffer)]);
}

interface Tolerance {
  /** |native - cpu| at most this */
  abs: number;
  /** |native - cpu| at most this times |cpu| (plus a few denormal steps); absent: no relative bound */
  rel?: number;
}

const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/** Where native and cpu disagree beyond the tolerance, described; NaN must stay NaN, infinities and signed zeros exact. */
function mismatches(xs: Float32Array, native: Float32Array, cpu: Float32Array, tol: Tolerance): string[] {
  const bad: string[] = [];
  for (let i = 0; i < xs.length && bad.length < 8; i++) {
    const a = native[i]!;
    const e = cpu[i]!;
    let ok: boolean;
    if (Number.isNaN(e)) ok = Number.isNaN(a);
    else if (!Number.isFinite(e) || (e === 0 && a === 0)) ok = Object.is(a, e);
    else {
      const err = Math.abs(a - e);
      ok = err <= tol.abs && (tol.rel === undefined || err <= tol.rel * Math.abs(e) + 3 * DENORMAL);
    }
    if (!ok) bad.push(`x=${show(xs[i]!)}: native ${show(a)}, cpu ${show(e)}`);
  }
  return bad;
}

async function both(xs: Float32Array, f: (x: tf.Tensor) => tf.Tensor): Promise<{ native: Float32Array; cpu: Float32Array }> {
  const run = (name: 'cpu' | 'native') =>
    onBackend(name, () => {
      const before = tf.memory().numTensors;
      const out = tf.tidy(() => f(tf.tensor1d(xs)).dataSync() as Float32Array);
      expect(tf.memory().numTensors).toBe(before);
      return out;
    });
  const cpu = await run('cpu');
  const native = await run('native');
  return { native, cpu };
}

// x as an [n, 1] matrix times [[1]]: the activation runs in the native matmul's epilogue
const fused = (activation: 'sigmoid' | 'elu') => (x: tf.Tensor) =>
  tf.fused.matMul({ a: x.reshape([-1, 1]), b: tf.tensor2d([[1]]), activation }).reshape([-1]);

const TANH: Tolerance = { abs: 2e-7, rel: 1e-6 };
const cases: Array<[string, (x: tf.Tensor) => tf.Tensor, Tolerance]> = [
  ['Tanh', (x) => tf.tanh(x), TANH],
  ['Exp', (x) => tf.exp(x), { abs: Infinity, rel: 4e-7 }],
  ['Sigmoid', (x) => tf.sigmoid(x), TANH],
  ['Sqrt', (x) => tf.sqrt(x), { abs: 0, rel: 0 }],
  ['fused sigmoid', fused('sigmoid'), TANH],
  // cpu's elu is Math.exp(x) - 1, which is 0 for |x| < 1e-16; ours is expm1 (e^x - 1 to full precision)
  ['fused elu', fused('elu'), { abs: 2e-7 }],
];

describe.skipIf(skip !== undefined)('native transcendental kernels equal cpu', () => {
  const xs = sweep();
  beforeAll(async () => {
    // 2 threads: the sweep is long enough for the kernels' parallel paths (blocks split across threads)
    await useBackend('native', { threads: 2 });
  });

  it.each(cases)('%s', async (_name, f, tol) => {
    const { native, cpu } = await both(xs, f);
    expect(native.length).toBe(xs.length);
    expect(mismatches(xs, native, cpu, tol)).toEqual([]);
  });

  it('tanh(x) is x to 1e-6 relative for tiny |x|, and saturates to +-1', async () => {
    const tiny = Float32Array.from([1e-8, -1e-8, 3.3e-9, -7.7e-7, 1e-20, 1e-38, 1e-42]);
    const { native } = await both(tiny, (x) => tf.tanh(x));
    tiny.forEach((v, i) => expect(Math.abs(native[i]! - v), `tanh(${v})`).toBeLessThanOrEqual(1e-6 * Math.abs(v)));
    const { native: ends } = await both(Float32Array.from([Infinity, -Infinity, 50, -50, Number.NaN]), (x) => tf.tanh(x));
    expect(Array.from(ends)).toEqual([1, -1, 1, -1, Number.NaN]);
  });

  it('the comparison fails a kernel off by a few ulps, one that flushes tiny values, and one that loses NaN', () => {
    const probe = Float32Array.from([0.5, 1e-8, Number.NaN]);
    const cpu = Float32Array.from([Math.tanh(0.5), Math.tanh(1e-8), Number.NaN]);
    expect(mismatches(probe, cpu, cpu, TANH)).toEqual([]);
    expect(mismatches(probe, Float32Array.from([cpu[0]! + 3e-7, cpu[1]!, Number.NaN]), cpu, TANH)).toHaveLength(1);
    expect(mismatches(probe, Float32Array.from([cpu[0]!, 0, Number.NaN]), cpu, TANH)).toHaveLength(1);
    expect(mismatches(probe, Float32Array.from([cpu[0]!, cpu[1]!, 1]), cpu, TANH)).toHaveLength(1);
  });
});
