import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteLossError } from './errors';
import type { StepRecord } from './types';

/**
 * Keeps each step's loss on the device and reads a whole run of them with one async download,
 * so the training loop never waits on the device per step. Every value is still checked, so a
 * NaN is attributed to the exact step that produced it, only noticed up to N - 1 steps later.
 */
export class LossReader {
  private pending: Array<{ loss: tf.Tensor; record: Omit<StepRecord, 'loss'> }> = [];

  get size(): number {
    return this.pending.length;
  }

  push(loss: tf.Tensor, record: Omit<StepRecord, 'loss'>): void {
    this.pending.push({ loss, record });
  }

  /** Reads every pending loss; throws NonFiniteLossError for the first one that is not finite. */
  async flush(): Promise<StepRecord[]> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return [];
    const stacked = tf.stack(batch.map((p) => p.loss));
    let values: ArrayLike<number>;
    try {
      values = (await stacked.data()) as ArrayLike<number>;
    } finally {
      stacked.dispose();
      for (const p of batch) p.loss.dispose();
    }
    const out: StepRecord[] = [];
    for (let i = 0; i < batch.length; i++) {
      const { record } = batch[i] as (typeof batch)[number];
      const loss = values[i] as number;
      if (!Number.isFinite(loss)) throw new NonFiniteLossError(record.epoch, record.step, record.batch, loss);
      out.push({ ...record, loss });
    }
    return out;
  }

  dispose(): void {
    for (const p of this.pending) p.loss.dispose();
    this.pending = [];
  }
}
