import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { canonize, hasBatchNorm } from './canonize';
import { checkComposite, type Composite, type CompositeName, namedComposite } from './composites';
import { ExplainInputError, ExplainOptionsError } from './errors';
import type { OutputChoice } from './forward';
import { gradCam } from './gradcam';
import { type Attribution, gradientMethod, integratedGradients, smoothGrad } from './gradients';
import { lrpHook } from './lrp';
import { occlusion, type OcclusionOptions } from './occlusion';
import { backward, forwardScores, type HostScores, type Session } from './session';
import { type Conservation, conservationReport } from './conservation';
import { inEvalMode } from './eval-mode';

export type Method =
  'lrp' | 'gradient' | 'sensitivity' | 'gradientTimesInput' | 'integratedGradients' | 'smoothGrad' | 'gradCam' | 'occlusion';
export const methods: readonly Method[] = [
  'lrp',
  'gradient',
  'sensitivity',
  'gradientTimesInput',
  'integratedGradients',
  'smoothGrad',
  'gradCam',
  'occlusion',
];

export interface ExplainOptions {
  /** Default 'lrp'. */
  method?: Method;
  /** Class index explained, for every sample or one per sample; default the highest-scoring class. A single-output model has class 0 only. */
  target?: number | readonly number[] | Int32Array;
  /** 'auto' (default) starts at the pre-head logits when the model ends in logSoftmax / softmax / sigmoid; 'model' at the model output. */
  output?: OutputChoice;
  /** lrp: a named composite (default 'epsilonPlus') or your own. */
  composite?: CompositeName | Composite;
  /** lrp 'epsilon' rule (default 1e-6). */
  epsilon?: number;
  /** lrp zB input domain [low, high] ('epsilonGammaBox', 'deepTaylor'). */
  bounds?: readonly [number, number];
  /** lrp gamma (default 0.25). */
  gamma?: number;
  /** integratedGradients: number or tensor shaped like x or like one sample (default 0); occlusion: the fill value. */
  baseline?: number | tf.Tensor;
  /** integratedGradients midpoint steps (default 32). */
  steps?: number;
  /** smoothGrad samples (default 16), noise standard deviation (default 0.15 of x's range) and seed (default 0). */
  n?: number;
  sigma?: number;
  seed?: number;
  /** gradCam: the dotted name of a convolution layer ('conv2'). */
  layer?: string;
  /** occlusion window and stride. */
  window?: OcclusionOptions['window'];
  stride?: OcclusionOptions['stride'];
}

export type { Conservation } from './conservation';

export interface Explanation {
  /** Same shape as x; the caller disposes it. */
  relevance: tf.Tensor;
  method: Method;
  /** The composite's name (lrp only). */
  composite?: string;
  /** Class explained per sample. */
  target: Int32Array;
  /** The explained score per sample (the target's pre-head logit, or f(x)). */
  score: Float32Array;
  conservation: Conservation;
}

function lrp(session: Session, x: tf.Tensor, options: ExplainOptions): Attribution & { composite: string } {
  const { composite: c = 'epsilonPlus' } = options;
  const composite = typeof c === 'string' ? namedComposite(c, options) : c;
  checkComposite(composite, session.names);
  const target = forwardScores(session, x).target;
  const canon = hasBatchNorm(session.model) ? canonize(session.model, x, session.names) : null;
  try {
    const { grad, scores } = backward(session, x, () => lrpHook(composite, canon), true, target);
    return { relevance: grad, scores, reference: scores.explained, composite: composite.name ?? 'custom' };
  } finally {
    canon?.dispose();
  }
}

/**
 * Explains the model's score for `target` on each sample of x, with relevance shaped like x.
 * Works on any Module built from @logitlab/layers, hand-written forward code included: LRP rules
 * attach to Linear, Conv2d and pooling layers through the forward hook of `Module.call` and act as
 * modified gradients, so one backward pass gives the relevance. Every result reports conservation
 * (captum's convergence delta). The model runs in eval mode; its modes are restored afterwards.
 */
export function explain(model: Module, x: tf.Tensor, options: ExplainOptions = {}): Explanation {
  const result = attribute(model, x, options);
  return explanation(result, conservationReport(result.relevance.dataSync(), result.reference));
}

/** Checks the options and x (typed errors) and gathers what every method shares. */
export function sessionFor(model: Module, x: tf.Tensor, options: ExplainOptions): Session {
  const { method = 'lrp', output = 'auto' } = options;
  if (!methods.includes(method)) throw new ExplainOptionsError(`unknown method '${String(method)}', expected one of ${methods.join(', ')}`);
  if (output !== 'auto' && output !== 'model') throw new ExplainOptionsError(`output must be 'auto' or 'model', got '${String(output)}'`);
  if (x.rank < 2 || x.shape[0] === 0)
    throw new ExplainInputError(`explain needs a batch [N, ...] with N >= 1, got shape [${x.shape.join(', ')}]`);
  if (x.dtype !== 'float32') throw new ExplainInputError(`explain needs float32 input, got ${x.dtype}`);
  const names = new Map(model.namedModules().map(([name, m]) => [m, name] as const));
  return { model, names, output, target: options.target };
}

export type MethodResult = Attribution & { method: Method; composite?: string };

/** The relevance and scores of `options.method`; `host` (explainAsync) holds what was read ahead asynchronously. */
export function attribute(model: Module, x: tf.Tensor, options: ExplainOptions, host?: HostScores): MethodResult {
  const method = options.method ?? 'lrp';
  const session: Session = { ...sessionFor(model, x, options), ...(host ? { host } : {}) };
  const result = inEvalMode(model, (): Attribution & { composite?: string } => {
    switch (method) {
      case 'lrp':
        return lrp(session, x, options);
      case 'gradient':
      case 'sensitivity':
      case 'gradientTimesInput':
        return gradientMethod(session, x, method);
      case 'integratedGradients':
        return integratedGradients(session, x, options);
      case 'smoothGrad':
        return smoothGrad(session, x, options);
      case 'gradCam':
        return gradCam(session, x, options.layer);
      case 'occlusion':
        if (options.baseline !== undefined && typeof options.baseline !== 'number')
          throw new ExplainOptionsError('occlusion baseline must be a number');
        return occlusion(session, x, { window: options.window, stride: options.stride, baseline: options.baseline });
    }
  });
  return { ...result, method };
}

export function explanation(result: MethodResult, conservation: Conservation): Explanation {
  return {
    relevance: result.relevance,
    method: result.method,
    ...(result.composite ? { composite: result.composite } : {}),
    target: result.scores.target,
    score: result.scores.explained,
    conservation,
  };
}
