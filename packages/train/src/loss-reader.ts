import * as tf from '@tensorflow/tfjs-core';
import { type DeferredCheck, firstFailedCheck } from '@logitlab/core';
import { NonFiniteLossError } from './errors';
import type { StepRecord } from './types';

interface Pending {
  loss: tf.Tensor;
  checks: DeferredCheck[];
  record: Omit<StepRecord, 'loss'>;
}

/**
 * Keeps each step's loss on the device and reads a whole run of them with one async download,
 * so the training loop never waits on the device per step. Every value is still checked, so a
 * NaN is attributed to the exact step that produced it, only noticed up to N - 1 steps later. The
 * data checks a step's loss deferred (a target range) come down in the same read and are judged first:
 * an out-of-range target is reported as that, not as the NaN loss it causes.
 */
export class LossReader {
  private pending: Pending[] = [];

  get size(): number {
    return this.pending.length;
  }

  push(loss: tf.Tensor, record: Omit<StepRecord, 'loss'>, checks: DeferredCheck[] = []): void {
    this.pending.push({ loss, checks, record });
  }

  /** Reads every pending loss; throws the first failed check's error, or NonFiniteLossError for the first loss that is not finite. */
  async flush(): Promise<StepRecord[]> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return [];
    const checks = batch.flatMap((p) => p.checks);
    // one download: the losses, then every check's values as float32
    const flat = tf.tidy(() =>
      tf.concat([tf.stack(batch.map((p) => p.loss)), ...checks.map((c) => tf.reshape(tf.cast(c.values, 'float32'), [-1]))]),
    );
    let values: ArrayLike<number>;
    try {
      values = (await flat.data()) as ArrayLike<number>;
    } finally {
      flat.dispose();
      disposeAll(batch);
    }
    const out: StepRecord[] = [];
    let at = batch.length;
    for (let i = 0; i < batch.length; i++) {
      const { record, checks: own } = batch[i] as Pending;
      const n = own.reduce((a, c) => a + c.values.size, 0);
      const failed = firstFailedCheck(own, Array.prototype.slice.call(values, at, at + n) as number[]);
      at += n;
      if (failed) throw failed;
      const loss = values[i] as number;
      if (!Number.isFinite(loss)) throw new NonFiniteLossError(record.epoch, record.step, record.batch, loss);
      out.push({ ...record, loss });
    }
    return out;
  }

  dispose(): void {
    disposeAll(this.pending);
    this.pending = [];
  }
}

function disposeAll(pending: readonly Pending[]): void {
  for (const p of pending) {
    p.loss.dispose();
    for (const c of p.checks) c.values.dispose();
  }
}
