// NaN, +Inf and -Inf fed to every fused activation of conv2d (1x1 and 3x3), depthwise conv2d and matMul, and to the
// unfused Conv2D, give cpu's values on wasm and native: NaN exactly where cpu has NaN, the same infinities, the
// finite values to float32 summation error. Defects this caught: native's oneDNN relu and relu6 post-ops turned NaN
// into 0; wasm's 1x1 conv (XNNPACK's GEMM path, whose output clamp is a pseudo-max) turned NaN into -Infinity.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { onBackend, untestableReason, valuesOf } from '../test/kernel-test-util';

type Backend = 'wasm' | 'native';
const BACKENDS: Backend[] = ['wasm', 'native'];
const skip: Partial<Record<Backend, string>> = {};
for (const b of BACKENDS) skip[b] = await untestableReason(b);

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'leakyrelu', 'elu', 'sigmoid', 'prelu'] as const;
type Activation = (typeof ACTIVATIONS)[number];

// [1, 4, 4, 3] over [-8, 8]: pixel 1 holds a NaN, pixel 6 a +Inf, pixel 9 a -Inf, pixel 12 both infinities (their
// sum is NaN though neither is NaN), so a 1x1 conv maps each to one output pixel and a 3x3 window mixes them
const NONFINITE: Record<number, number> = { 4: Number.NaN, 19: Infinity, 28: -Infinity, 36: Infinity, 38: -Infinity };
const x = () =>
  tf.tensor4d(
    Float32Array.from({ length: 48 }, (_, i) => NONFINITE[i] ?? ((i * 37) % 17) - 8),
    [1, 4, 4, 3],
  );
// the matMul's left factor: one row per kind of value (NaN, +Inf, -Inf, both infinities, finite)
const a = () =>
  tf.tensor2d(
    Float32Array.from({ length: 15 }, (_, i) => [Number.NaN, Infinity, -Infinity, Infinity, 2][i % 5]! * (i === 8 ? -1 : 1)),
    [5, 3],
  );

// the shape the wasm defect was reported with: [1, 3, 3, 2], one NaN, a [1, 1, 2, 2] filter
const small = () =>
  tf.tensor4d(
    Float32Array.from({ length: 18 }, (_, i) => (i === 7 ? Number.NaN : i - 9)),
    [1, 3, 3, 2],
  );
const smallFilter = () => tf.tensor4d([0.5, -1, 2, 0.25], [1, 1, 2, 2]);

// one channel with NaN, +Inf and -Inf: with a 1x1 filter, one input and one output channel per group (a Conv2D of
// one channel, a depthwise conv of multiplier 1) wasm takes XNNPACK's per-channel multiply-add path
const oneChannel = () => tf.tensor4d([1, Number.NaN, -2, 3, Infinity, 0, -Infinity, 4, 5, -6, 7, Number.NaN, 8, -1, 2, 0], [1, 4, 4, 1]);

type Case = (activation: Activation) => tf.Tensor;

// prelu's slope per channel
const alpha = (n: number) => tf.tensor1d(Array.from({ length: n }, () => 0.3));
// the fused attributes of `act` for `n` output channels
const fused = (act: Activation, n: number) => ({
  activation: act,
  leakyreluAlpha: 0.2,
  preluActivationWeights: act === 'prelu' ? alpha(n) : undefined,
});

function cases(): Record<string, Case> {
  const input = x();
  const w1 = tf.randomUniform([1, 1, 3, 4], -1, 1, 'float32', 11) as tf.Tensor4D;
  const w3 = tf.randomUniform([3, 3, 3, 4], -1, 1, 'float32', 12) as tf.Tensor4D;
  const dw = tf.randomUniform([3, 3, 3, 1], -1, 1, 'float32', 13) as tf.Tensor4D;
  const b = tf.randomUniform([3, 4], -1, 1, 'float32', 14) as tf.Tensor2D;
  const bias4 = tf.tensor1d([0.5, -0.25, 0, 2]);
  const bias3 = tf.tensor1d([0.5, -0.25, 0]);
  const left = a();
  return {
    conv1x1Small: (act) => tf.fused.conv2d({ x: small(), filter: smallFilter(), strides: 1, pad: 'valid', ...fused(act, 2) }),
    conv1x1: (act) => tf.fused.conv2d({ x: input, filter: w1, strides: 1, pad: 'valid', bias: bias4, ...fused(act, 4) }),
    conv1x1NoBias: (act) => tf.fused.conv2d({ x: input, filter: w1, strides: 1, pad: 'valid', ...fused(act, 4) }),
    conv1x1OneChannel: (act) =>
      tf.fused.conv2d({
        x: oneChannel(),
        filter: tf.tensor4d([-0.5], [1, 1, 1, 1]),
        strides: 1,
        pad: 'valid',
        bias: tf.tensor1d([1]),
        ...fused(act, 1),
      }),
    // a zero weight makes Inf * 0 = NaN; a -Inf bias on the channel with a +Inf makes Inf - Inf = NaN
    depthwise1x1: (act) =>
      tf.fused.depthwiseConv2d({
        x: input,
        filter: tf.tensor4d([0, 0.5, -2], [1, 1, 3, 1]),
        strides: 1,
        pad: 'valid',
        bias: bias3,
        ...fused(act, 3),
      }),
    depthwise1x1InfBias: (act) =>
      tf.fused.depthwiseConv2d({
        x: input,
        filter: tf.tensor4d([1, 0.5, -2], [1, 1, 3, 1]),
        strides: 1,
        pad: 'valid',
        bias: tf.tensor1d([0, -Infinity, 0]),
        ...fused(act, 3),
      }),
    conv3x3: (act) => tf.fused.conv2d({ x: input, filter: w3, strides: 1, pad: 'same', bias: bias4, ...fused(act, 4) }),
    depthwise: (act) => tf.fused.depthwiseConv2d({ x: input, filter: dw, strides: 1, pad: 'same', bias: bias3, ...fused(act, 3) }),
    matMul: (act) => tf.fused.matMul({ a: left, b, bias: bias4, ...fused(act, 4) }),
  };
}

function outputs(): tf.Tensor[] {
  const c = cases();
  const unfused = [
    tf.conv2d(x(), tf.randomUniform([1, 1, 3, 4], -1, 1, 'float32', 11) as tf.Tensor4D, 1, 'valid'),
    tf.conv2d(small(), smallFilter(), 1, 'valid'),
    tf.conv2d(oneChannel(), tf.tensor4d([2], [1, 1, 1, 1]), 1, 'valid'),
    tf.depthwiseConv2d(x(), tf.tensor4d([0, 0.5, -2], [1, 1, 3, 1]), 1, 'valid'),
  ];
  return [...unfused, ...ACTIVATIONS.flatMap((act) => CASES.map((k) => c[k]!(act)))];
}

const CASES = [
  'conv1x1Small',
  'conv1x1',
  'conv1x1NoBias',
  'conv1x1OneChannel',
  'depthwise1x1',
  'depthwise1x1InfBias',
  'conv3x3',
  'depthwise',
  'matMul',
];
const labels = [
  'Conv2D 1x1',
  'Conv2D 1x1 small',
  'Conv2D 1x1 one channel',
  'DepthwiseConv2dNative 1x1',
  ...ACTIVATIONS.flatMap((act) => CASES.map((k) => `${k} ${act}`)),
];

const show = (v: number[]) => v.map((e) => (Number.isFinite(e) ? 'finite' : String(e)));

/** `got` equals `want` element by element: NaN where `want` has NaN, equal infinities, finite values close. */
function expectSame(got: Array<[string, number[]]>, want: Array<[string, number[]]>) {
  // every case whose NaN or infinities differ, named at once (the element-wise diff below shows only the first)
  const differ = labels.filter((_, i) => JSON.stringify(show(got[i]![1])) !== JSON.stringify(show(want[i]![1])));
  expect(differ).toEqual([]);
  got.forEach(([, v], i) => {
    const w = want[i]![1];
    expect(show(v), labels[i]).toEqual(show(w));
    v.forEach((e, j) => {
      if (Number.isFinite(w[j])) expect(Math.abs(e - w[j]!), `${labels[i]}[${j}]`).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(w[j]!)));
    });
  });
}

describe.each(BACKENDS)('%s: NaN and infinities through conv and fused activations', (backend) => {
  if (skip[backend]) {
    it.skip(`${backend}: ${skip[backend]}`, () => undefined);
    return;
  }

  it('every case equals cpu element by element, and frees what it makes', async () => {
    const want = await onBackend('cpu', () => valuesOf(outputs));
    // the reference itself carries NaN through every relu and relu6, so a lost NaN cannot match it
    want.forEach(([, v], i) => expect(v.some(Number.isNaN), labels[i]).toBe(true));
    const before = await onBackend(backend, () => tf.memory().numTensors);
    const dataBefore = tf.engine().backend.numDataIds();
    const got = await onBackend(backend, () => valuesOf(outputs));
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
    expectSame(got, want);
  });
});
