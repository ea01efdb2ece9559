import type { Module } from '@logitlab/layers';
import type { Stepper, StepOptions } from '../step';
import type { Batch } from '../types';
import { dryTrace } from './dry-trace';
import type { CompiledPlan } from './plan-cache';

/**
 * A dry run of one optimiser step (forward, loss, backward, update) with the sentinel learning rate,
 * recorded and rolled back by `dryTrace`: the plan, or why there is none.
 */
export function traceTrainingStep<M extends Module, O>(
  stepper: Stepper<M, O>,
  options: StepOptions<M, O>,
  batch: Batch,
): CompiledPlan | string {
  try {
    return dryTrace(
      () => {
        const { loss, checks } = stepper.accumulate(batch, true);
        stepper.apply();
        return { outputs: [loss], checks };
      },
      [batch.x, batch.y],
      options.optimizer,
      { decay: options.weightDecay },
    );
  } finally {
    stepper.discard();
  }
}
