import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { compileForward } from '@logitlab/train';

/**
 * Runs `model` in eval mode over `x` ([count, ...sampleShape], row-major) in batches and returns the
 * outputs concatenated row-major. `map` can turn each output batch into what the caller keeps
 * (e.g. argmax), inside the same forward. The forward is compiled (recorded per batch shape and
 * replayed without tfjs's engine); `map` must then be tensor-only.
 */
export async function predict(
  model: Module,
  x: Float32Array,
  sampleShape: number[],
  { batchSize = 256, map }: { batchSize?: number; map?: (out: tf.Tensor) => tf.Tensor } = {},
): Promise<Float32Array> {
  const per = sampleShape.reduce((a, b) => a * b, 1);
  const count = x.length / per;
  const chunks: Float32Array[] = [];
  model.eval();
  const forward = compileForward(model, {
    forward: (m, batch) => {
      const y = m.call(batch);
      return tf.cast(map ? map(y) : y, 'float32');
    },
  });
  try {
    for (let i = 0; i < count; i += batchSize) {
      const n = Math.min(batchSize, count - i);
      const batch = tf.tensor(x.subarray(i * per, (i + n) * per), [n, ...sampleShape]);
      const out = forward.call(batch);
      batch.dispose();
      chunks.push((await out.data()) as Float32Array);
      out.dispose();
    }
  } finally {
    forward.dispose();
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const result = new Float32Array(total);
  let off = 0;
  for (const c of chunks) {
    result.set(c, off);
    off += c.length;
  }
  return result;
}

/** Argmax over the last axis of each output row. */
export const argmaxLast = (out: tf.Tensor): tf.Tensor => tf.argMax(out, -1);

export function accuracyOf(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
  return labels.length ? ok / labels.length : NaN;
}
