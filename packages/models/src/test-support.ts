// Test-only helpers (not exported from index, so they never ship).
import * as tf from '@tensorflow/tfjs-core';

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
