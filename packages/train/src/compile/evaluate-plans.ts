import { isReplayable } from '@logitlab/core';
import type { Module } from '@logitlab/layers';
import type { EvaluateOptions } from '../evaluate-options';
import type { BatchMetric } from '../types';
import { ForwardPlans } from './forward-plans';
import { forwardIsReplayable } from './replayable-forward';

/**
 * The plans an evaluation records its batches into, or undefined to run it eagerly. Under 'auto', only
 * code marked replayable is recorded, since a replay skips the rest's JavaScript: the metrics, and
 * `forward` if given, else every module's own forward (the library's layers and models are marked; a
 * module of the user's may count its calls).
 */
export function evaluatePlans<M extends Module, O>(
  model: M,
  metrics: Record<string, BatchMetric<O>>,
  options: Pick<EvaluateOptions<M, O>, 'compile' | 'forward' | 'onFallback'>,
): ForwardPlans | undefined {
  const compile = options.compile ?? 'auto';
  const marked = () => forwardIsReplayable(model, options.forward as never) && Object.values(metrics).every((m) => isReplayable(m));
  if (compile === false || (compile === 'auto' && !marked())) return undefined;
  return new ForwardPlans(model, 'compiled evaluate', { onFallback: options.onFallback });
}
