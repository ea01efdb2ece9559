import * as tf from '@tensorflow/tfjs-core';
import {
  optimizerLearningRate,
  type RuntimeScalar,
  setOptimizerIterations,
  setOptimizerLearningRate,
  traceStep,
} from '@logitlab/backends/compat';
import type { CheckVerdict, DeferredCheck } from '@logitlab/core';
import { getRngState, setRngState } from '@logitlab/layers';
import type { WeightDecay } from '../step';
import type { CompiledPlan } from './plan-cache';

/** A learning rate no step constant equals: the dry-run trace finds every scalar made from it. */
export const TRACE_LR = 0.000987654321;

/** The runtime scalars an optimiser update reads, for learning rate `lr` (the decoupled decay's shrink factor among them). */
export function updateScalars(lr: number, decay: WeightDecay | undefined): Record<string, number> {
  const values: Record<string, number> = { lr, negLr: -lr };
  if (decay?.mode === 'decoupled' && decay.value > 0) values['shrink'] = 1 - lr * decay.value;
  return values;
}

/** What a traced part of a step gives back: tensors the plan returns (the loss first), and the data checks after them. */
export interface TracedPart {
  outputs: tf.Tensor[];
  checks: DeferredCheck[];
}

/**
 * Records `part` in a dry run that is rolled back (variables, the generator, the optimiser's learning
 * rate and step count as they were): the plan, or why there is none. With `update` the part updates
 * parameters: it runs with a sentinel learning rate, which the plan must read as a runtime scalar.
 * Every draw from the generator must be a host draw the plan repeats, or a replay would reuse this
 * run's numbers.
 */
export function dryTrace(
  part: () => TracedPart,
  inputs: readonly tf.Tensor[],
  optimizer: tf.Optimizer,
  update: { decay: WeightDecay | undefined } | undefined,
): CompiledPlan | string {
  const lr = optimizerLearningRate(optimizer);
  const iterations = optimizer.iterations;
  const rng = getRngState();
  const scalars: RuntimeScalar[] = update
    ? Object.entries(updateScalars(TRACE_LR, update.decay)).map(([name, traced]) => ({ name, traced, optional: name !== 'shrink' }))
    : [];
  const verdicts: CheckVerdict[] = [];
  let drawn: number;
  let result;
  try {
    result = traceStep(
      () => {
        // inside the recording: SGD keeps -lr in a tensor it makes here, which becomes the runtime scalar
        if (update) setOptimizerLearningRate(optimizer, TRACE_LR);
        const { outputs, checks } = part();
        // the checks' values are outputs after the rest: every replay computes them anew, judged by these verdicts
        verdicts.push(...checks.map((c) => c.verdict));
        return [...outputs, ...checks.map((c) => c.values)];
      },
      { inputs, scalars, rollback: true },
    );
  } finally {
    drawn = getRngState();
    setRngState(rng);
    setOptimizerLearningRate(optimizer, lr);
    setOptimizerIterations(optimizer, iterations);
  }
  tf.dispose(result.outputs);
  if (!result.plan) return result.reason;
  const plan = result.plan;
  let why: string | undefined;
  if (update && !plan.stats.scalars.includes('lr') && !plan.stats.scalars.includes('negLr'))
    why = `the learning rate of ${optimizer.getClassName()} was not found in the step`;
  else {
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
