import type { Module } from '@logitlab/layers';
import { EmptyDataError } from '../errors';
import { evaluatePlans } from '../compile/evaluate-plans';
import type { ForwardPlans } from '../compile/forward-plans';
import { evaluateWith } from '../evaluate';
import { emptyEpochError } from '../validate-options';
import type { BatchMetric, EpochLogs, ForwardFn, LossFn } from '../types';
import type { ValidationOptions } from './options';

type FitPart<M extends Module, O> = { loss: LossFn<O>; forward?: ForwardFn<M, O>; compile?: 'auto' | boolean };

/**
 * The recorded validation forward of one fit call (undefined: eager), kept across its epochs: each batch
 * shape is traced once a run, not once an epoch. The caller disposes it.
 */
export function validationPlans<M extends Module, O>(
  model: M,
  v: ValidationOptions<O> | undefined,
  o: FitPart<M, O>,
): ForwardPlans | undefined {
  return v ? evaluatePlans(model, { loss: o.loss, ...v.metrics }, o) : undefined;
}

/**
 * Stage "validation": every `every` epochs (counted from the first epoch of this call) and after the
 * last, `evaluate` in eval mode logs `val_loss` (the training loss) and `val_<metric>`; the model goes
 * back to train mode.
 */
export async function validateEpoch<M extends Module, O>(
  model: M,
  v: ValidationOptions<O> | undefined,
  o: FitPart<M, O>,
  at: { epoch: number; initialEpoch: number; epochs: number },
  logs: EpochLogs,
  plans: ForwardPlans | undefined,
): Promise<void> {
  const { epoch } = at;
  if (!v || ((epoch + 1 - at.initialEpoch) % (v.every ?? 1) !== 0 && epoch !== at.epochs - 1)) return;
  const metrics: Record<string, BatchMetric<O>> = { loss: o.loss, ...v.metrics };
  const res = await evaluateWith(plans, model, v.data, metrics, { forward: o.forward }).catch((e: unknown) => {
    // fit names the option and the epoch
    throw e instanceof EmptyDataError ? emptyEpochError(epoch, v.data.length, 'validation.data') : e;
  });
  model.train();
  for (const [k, value] of Object.entries(res.metrics)) logs[`val_${k}`] = value;
}
