import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import type { LossReader } from '../loss-reader';
import type { BatchSource, StepRecord } from '../types';
import type { Run } from './context';
import type { Steps } from './stepping';

/** What one pass over the data did. */
export interface EpochPass {
  /** Batches stepped. */
  batches: number;
  /** Every step's loss, read back (all of them unless aborted mid-read). */
  records: StepRecord[];
  aborted: boolean;
}

/**
 * The loop over one epoch's batches. Per batch, in this order: pause/abort (at the step boundary),
 * the step (forward, backward, and the optimiser step when its group is complete), the batch freed, the
 * loss queued, every `checkEvery` steps a read of the queued losses and checks (`onLosses`), `onBatchEnd`.
 * At the end the remaining losses are read; an aborted epoch's pending gradients are dropped.
 */
export async function runEpoch<M extends Module, O>(
  run: Run<M>,
  steps: Steps<M, O>,
  reader: LossReader,
  data: BatchSource,
  checkEvery: number,
  readLosses: (into: StepRecord[]) => Promise<void>,
): Promise<EpochPass> {
  const { ctx } = run;
  const records: StepRecord[] = [];
  let batches = 0;
  for await (const batch of data) {
    if (await run.aborted()) {
      tf.dispose([batch.x, batch.y]);
      break;
    }
    const at = { epoch: ctx.epoch, step: ctx.step, batch: batches };
    const size = batch.x.shape[0] ?? 1;
    let out;
    try {
      out = steps.run(batch, at);
    } finally {
      tf.dispose([batch.x, batch.y]);
    }
    reader.push(out.loss, { ...at, size }, out.checks);
    batches++;
    ctx.step++;
    if (reader.size >= checkEvery) await readLosses(records);
    await run.emit('onBatchEnd', { batch: at.batch, size });
  }
  const aborted = ctx.stopReason === 'aborted';
  if (aborted) steps.discard();
  else if (batches > 0) steps.finishEpoch({ epoch: ctx.epoch, step: ctx.step - 1, batch: batches - 1 });
  await readLosses(records);
  return { batches, records, aborted };
}
