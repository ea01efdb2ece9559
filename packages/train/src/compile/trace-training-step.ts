import * as tf from '@tensorflow/tfjs-core';
import {
  optimizerLearningRate,
  type RuntimeScalar,
  setOptimizerIterations,
  setOptimizerLearningRate,
  traceStep,
} from '@logitlab/backends/compat';
import { getRngState, type Module, setRngState } from '@logitlab/layers';
import type { Stepper, StepOptions } from '../step';
import type { Batch } from '../types';
import type { CompiledPlan } from './plan-cache';

/** A learning rate no step constant equals: the dry-run trace finds every scalar made from it. */
const TRACE_LR = 0.000987654321;

/** The runtime scalars of a step at learning rate `lr`, by the names the plan knows them by. */
export function stepScalars<M extends Module, O>(options: StepOptions<M, O>, lr: number): Record<string, number> {
  const decay = options.weightDecay;
  const values: Record<string, number> = { lr, negLr: -lr };
  if (decay?.mode === 'decoupled' && decay.value > 0) values['shrink'] = 1 - lr * decay.value;
  return values;
}

/**
 * A dry run of one optimiser step with the sentinel learning rate, recorded and rolled back (the
 * variables, the optimizer's learning rate and step count, the generator): the plan, or why there is none.
 */
export function traceTrainingStep<M extends Module, O>(
  stepper: Stepper<M, O>,
  options: StepOptions<M, O>,
  batch: Batch,
): CompiledPlan | string {
  const { optimizer } = options;
  const lr = optimizerLearningRate(optimizer);
  const iterations = optimizer.iterations;
  const rng = getRngState();
  const scalars: RuntimeScalar[] = Object.entries(stepScalars(options, TRACE_LR)).map(([name, traced]) => ({
    name,
    traced,
    optional: name !== 'shrink',
  }));
  let drawn: number;
  let result;
  const verdicts: CompiledPlan['verdicts'] = [];
  try {
    result = traceStep(
      () => {
        // inside the recording: SGD keeps -lr in a tensor it makes here, which becomes the runtime scalar
        setOptimizerLearningRate(optimizer, TRACE_LR);
        const { loss, checks } = stepper.accumulate(batch, true);
        stepper.apply();
        // the checks' values are outputs after the loss: every replay computes them anew, judged by these verdicts
        verdicts.push(...checks.map((c) => c.verdict));
        return [loss, ...checks.map((c) => c.values)];
      },
      { inputs: [batch.x, batch.y], scalars, rollback: true },
    );
  } finally {
    stepper.discard();
    drawn = getRngState();
    setRngState(rng);
    setOptimizerLearningRate(optimizer, lr);
    setOptimizerIterations(optimizer, iterations);
  }
  tf.dispose(result.outputs);
  if (!result.plan) return result.reason;
  const plan = result.plan;
  let why: string | undefined;
  if (!plan.stats.scalars.includes('lr') && !plan.stats.scalars.includes('negLr'))
    why = `the learning rate of ${optimizer.getClassName()} was not found in the step`;
  else {
    // every draw from the generator must be a host draw the plan repeats, or a replay would reuse this one's numbers
    plan.redraw();
    if (getRngState() !== drawn) why = 'the step draws from the generator outside an announced host draw';
    setRngState(rng);
  }
  if (why !== undefined) {
    plan.dispose();
    return why;
  }
  return { plan, verdicts };
}
