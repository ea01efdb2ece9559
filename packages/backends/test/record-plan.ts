import * as tf from '@tensorflow/tfjs-core';
import type { StepPlan } from '../src/compat/step-plan';
import { traceStep } from '../src/compat/step-trace';

/** A learning rate no test uses for real: a plan that baked it in as a constant would show in the results. */
const TRACE_LR = 0.000987654321;

/**
 * Records `step(TRACE_LR)` over `inputs` with the learning rate as the runtime scalar `lr`, rolled back (the
 * model is as before), and returns its plan; a step the tracer refuses fails the test with the reason.
 */
export function recordPlan(step: (lr: number) => tf.Tensor[], inputs: tf.Tensor[]): StepPlan {
  const traced = traceStep(() => tf.tidy(() => step(TRACE_LR)), {
    inputs,
    scalars: [{ name: 'lr', traced: TRACE_LR }],
    rollback: true,
  });
  tf.dispose(traced.outputs);
  if (!traced.plan) throw new Error(`no plan: ${traced.reason}`);
  return traced.plan;
}
