// The lean gradients against tfjs-core's stock configs, bitwise, on cpu (stock formulas with fewer calls)
// and native (fused kernels): same inputs, including NaN, +-0, +-Infinity and broadcasting.
import * as tf from '@tensorflow/tfjs-core';
import { multiplyGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Multiply_grad';
import { reluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu_grad';
import { sigmoidGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sigmoid_grad';
import { squaredDifferenceGradConfig } from '@tensorflow/tfjs-core/dist/gradients/SquaredDifference_grad';
import { sumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sum_grad';
import { tanhGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Tanh_grad';
import { describe, expect, it } from 'vitest';
import { FUSED_GRAD_KERNELS } from './lean-gradients';
import { useBackend } from './index';
import { onBackend, untestableReason } from '../test/kernel-test-util';

const skipNative = await untestableReason('native');

const special = [NaN, 0, -0, Infinity, -Infinity, 1e-30, -1e-30, 3.5, -2.25, 1e30];
function values(n: number, seed: number): Float32Array {
  const v = tf.tidy(() => tf.randomNormal([n], 0, 3, 'float32', seed).dataSync() as Float32Array).slice();
  special.forEach((s, i) => (v[(i * 7) % n] = s));
  return v;
}

/** Bits, so NaN equals NaN and -0 differs from +0. */
const bits = (t: tf.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

interface Case {
  name: string;
  stock: tf.GradConfig;
  run: (xs: tf.Tensor[]) => tf.Tensor;
  shapes: number[][];
  /** Which values the stock config saves: the inputs, or the op's output. */
  saves: 'inputs' | 'output';
  attrs?: tf.NamedAttrMap;
  fused?: string;
}

const cases: Case[] = [
  { name: 'Tanh', stock: tanhGradConfig, run: ([x]) => tf.tanh(x!), shapes: [[6, 7]], saves: 'output', fused: FUSED_GRAD_KERNELS.Tanh },
  {
    name: 'Sigmoid',
    stock: sigmoidGradConfig,
    run: ([x]) => tf.sigmoid(x!),
    shapes: [[6, 7]],
    saves: 'output',
    fused: FUSED_GRAD_KERNELS.Sigmoid,
  },
  { name: 'Relu', stock: reluGradConfig, run: ([x]) => tf.relu(x!), shapes: [[6, 7]], saves: 'inputs', fused: FUSED_GRAD_KERNELS.Relu },
  {
    name: 'SquaredDifference',
    stock: squaredDifferenceGradConfig,
    run: ([a, b]) => tf.squaredDifference(a!, b!),
    shapes: [
      [5, 8],
      [5, 8],
    ],
    saves: 'inputs',
    fused: FUSED_GRAD_KERNELS.SquaredDifference,
  },
  {
    name: 'Multiply',
    stock: multiplyGradConfig,
    run: ([a, b]) => tf.mul(a!, b!),
    shapes: [
      [5, 8],
      [5, 8],
    ],
    saves: 'inputs',
  },
  { name: 'Multiply broadcast', stock: multiplyGradConfig, run: ([a, b]) => tf.mul(a!, b!), shapes: [[5, 8], [8]], saves: 'inputs' },
  { name: 'Sum axis 0', stock: sumGradConfig, run: ([x]) => tf.sum(x!, 0), shapes: [[5, 8]], saves: 'inputs', attrs: { axis: [0] } },
  { name: 'Sum all', stock: sumGradConfig, run: ([x]) => tf.sum(x!), shapes: [[4, 3, 2]], saves: 'inputs', attrs: { axis: [0, 1, 2] } },
];

describe.each(['cpu', 'native'] as const)('lean gradients on %s equal the stock ones bitwise', (backend) => {
  if (backend === 'native' && skipNative !== undefined) return;
  it.each(cases)('$name', async (c) => {
    if (backend === 'cpu') await useBackend('cpu');
    await onBackend(backend, () => {
      const before = tf.memory().numTensors;
      const xs = c.shapes.map((s, i) =>
        tf.tensor(
          values(
            s.reduce((p, q) => p * q, 1),
            3 + i,
          ),
          s,
        ),
      );
      const y = c.run(xs);
      const dy = tf.tensor(values(y.size, 11), y.shape);
      const got = tf.grads((...inputs: tf.Tensor[]) => c.run(inputs))(xs, dy);
      const saved = c.saves === 'output' ? [y] : xs;
      const names = c.shapes.length === 1 ? ['x'] : ['a', 'b'];
      names.forEach((name, i) => {
        const want = tf.tidy(() => c.stock.gradFunc(dy, saved, c.attrs ?? {})[name]!());
        expect(bits(got[i]!), `${c.name} d/d${name}`).toEqual(bits(want));
        want.dispose();
      });
      tf.dispose([...xs, y, dy, ...got]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  it.each(cases.filter((c) => c.fused))('$name runs its fused kernel on native, the stock ops elsewhere', async (c) => {
    if (backend === 'cpu') await useBackend('cpu');
    const kernels = await onBackend(backend, async () => {
      const xs = c.shapes.map((s, i) =>
        tf.tensor(
          values(
            s.reduce((p, q) => p * q, 1),
            5 + i,
          ),
          s,
        ),
      );
      const profile = await tf.profile(() => tf.dispose(tf.grads((...inputs: tf.Tensor[]) => c.run(inputs))(xs)));
      tf.dispose(xs);
      return profile.kernelNames;
    });
    expect(kernels.includes(c.fused!)).toBe(backend === 'native');
  });
});
