// Test-only helpers (not exported from index, so they never ship).
import * as tf from '@tensorflow/tfjs-core';
import { syntheticDigits } from '@logitlab/datasets';

export interface Pairs {
  /** [count, 28, 56] coded in [-0.5, 1.5] (background -0.5), as the paper codes its inputs. */
  images: Float32Array;
  /** 100 when a digit 0-3 is present, else 0. */
  targets: Float32Array;
  /** [count, 2]: left and right digit. */
  digits: Int32Array;
  count: number;
}

/** Two synthetic digits side by side (28x56); the target says whether one of them is 0-3. */
export function twoDigitPairs(count: number, seed: number): Pairs {
  const src = syntheticDigits({ count: 2 * count, seed });
  const images = new Float32Array(count * 28 * 56);
  const targets = new Float32Array(count);
  const digits = new Int32Array(count * 2);
  for (let i = 0; i < count; i++) {
    for (let side = 0; side < 2; side++) {
      const k = 2 * i + side;
      digits[2 * i + side] = src.labels[k]!;
      for (let r = 0; r < 28; r++) {
        for (let c = 0; c < 28; c++) images[i * 1568 + r * 56 + side * 28 + c] = src.images[k * 784 + r * 28 + c]! * 2 - 0.5;
      }
    }
    targets[i] = digits[2 * i]! <= 3 || digits[2 * i + 1]! <= 3 ? 100 : 0;
  }
  return { images, targets, digits, count };
}

/** Consecutive mini-batches of `x` (per-sample shape `shape`) and `y` (per-sample size `ySize`). */
export function* batches(
  x: Float32Array,
  shape: number[],
  y: Float32Array | Int32Array,
  ySize: number,
  batchSize: number,
): Generator<{ x: tf.Tensor; y: tf.Tensor }> {
  const per = shape.reduce((a, b) => a * b, 1);
  const n = Math.floor(x.length / per);
  for (let s = 0; s + batchSize <= n; s += batchSize) {
    const yData = y.subarray(s * ySize, (s + batchSize) * ySize);
    yield {
      x: tf.tensor(x.subarray(s * per, (s + batchSize) * per), [batchSize, ...shape]),
      y: ySize === 1 && y instanceof Int32Array ? tf.tensor1d(yData, 'int32') : tf.tensor(yData, [batchSize, ySize]),
    };
  }
}

/** Runs one optimiser step per batch and returns each step's loss. */
export function trainEpoch(
  params: tf.Variable[],
  optimizer: tf.Optimizer,
  data: Iterable<{ x: tf.Tensor; y: tf.Tensor }>,
  loss: (x: tf.Tensor, y: tf.Tensor) => tf.Scalar,
  afterStep?: () => void,
): number[] {
  const losses: number[] = [];
  for (const { x, y } of data) {
    const l = optimizer.minimize(() => loss(x, y), true, params);
    afterStep?.();
    losses.push(l!.dataSync()[0]!);
    tf.dispose([x, y, l!]);
  }
  return losses;
}
