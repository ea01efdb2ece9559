import type { Module } from '@logitlab/layers';
import { EmptyDataError } from '../errors';
import { evaluate } from '../evaluate';
import { emptyEpochError } from '../validate-options';
import type { BatchMetric, EpochLogs, ForwardFn, LossFn } from '../types';
import type { ValidationOptions } from './options';

/**
 * Stage "validation": every `every` epochs (counted from the first epoch of this call) and after the
 * last, `evaluate` in eval mode logs `val_loss` (the training loss) and `val_<metric>`; the model goes
 * back to train mode.
 */
export async function validateEpoch<M extends Module, O>(
  model: M,
  v: ValidationOptions<O> | undefined,
  o: { loss: LossFn<O>; forward?: ForwardFn<M, O>; compile?: 'auto' | boolean },
  at: { epoch: number; initialEpoch: number; epochs: number },
  logs: EpochLogs,
): Promise<void> {
  const { epoch } = at;
  if (!v || ((epoch + 1 - at.initialEpoch) % (v.every ?? 1) !== 0 && epoch !== at.epochs - 1)) return;
  const metrics: Record<string, BatchMetric<O>> = { loss: o.loss, ...v.metrics };
  const res = await evaluate(model, v.data, metrics, { forward: o.forward, compile: o.compile }).catch((e: unknown) => {
    // fit names the option and the epoch
    throw e instanceof EmptyDataError ? emptyEpochError(epoch, v.data.length, 'validation.data') : e;
  });
  model.train();
  for (const [k, value] of Object.entries(res.metrics)) logs[`val_${k}`] = value;
}
