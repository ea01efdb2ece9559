import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import type { Composite, CompositeName } from './composites';
import { type Conservation, conservationReport } from './conservation';
import { ExplainInputError, ExplainOptionsError } from './errors';
import { inEvalMode } from './eval-mode';
import type { OutputChoice } from './forward';
import type { Attribution } from './gradients';
import type { GradCamUpsample } from './gradcam';
import { attributionMethod } from './methods/registry';
import type { OcclusionOptions } from './occlusion';
import type { Session } from './session';
import { validateExplainCall } from './validate';

/** A registered method's name (`methodNames()`: the built-ins and any given to `registerMethod`). */
export type Method = string;

export interface ExplainOptions {
  /** Default 'lrp'; the registered methods are `methodNames()`. */
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
  /** gradCam: 'bilinear' stretch to the input (default, PyTorch's) or each cell on its 'receptiveField' centre. */
  upsample?: GradCamUpsample;
  /** occlusion window and stride. */
  window?: OcclusionOptions['window'];
  stride?: OcclusionOptions['stride'];
  /**
   * Stops integrated gradients, SmoothGrad and occlusion between passes with ExplainAbortedError (nothing
   * leaks). explain is synchronous: the signal is seen when it was aborted before the call, or by code
   * that runs during it (a layer, a hook); a timer's abort waits for the call to return.
   */
  signal?: AbortSignal;
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

/**
 * Explains the model's score for `target` on each sample of x, with relevance shaped like x.
 * Works on any Module built from @logitlab/layers, hand-written forward code included: LRP rules
 * attach to the layers registered as linear maps through the forward hook of `Module.call` and act as
 * modified gradients, so one backward pass gives the relevance. The method is looked up in the
 * registry (`registerMethod`). Every result reports conservation
 * (captum's convergence delta). The model runs in eval mode; its modes are restored afterwards.
 */
export function explain(model: Module, x: tf.Tensor, options: ExplainOptions = {}): Explanation {
  const session = sessionFor(model, x, options);
  const result = attribute(session, x, options);
  return explanation(result, conservationReport(result.relevance.dataSync(), result.reference));
}

/** Checks the call (typed errors: the model, x, the options, the method's name) and gathers what every method shares. */
export function sessionFor(model: Module, x: tf.Tensor, options: ExplainOptions, { values = true } = {}): Session {
  validateExplainCall(model, x, options, { values });
  const { method = 'lrp', output = 'auto' } = options;
  attributionMethod(method); // an unknown name is a typed error before anything runs
  if (output !== 'auto' && output !== 'model') throw new ExplainOptionsError(`output must be 'auto' or 'model', got '${String(output)}'`);
  if (x.rank < 2 || x.shape[0] === 0)
    throw new ExplainInputError(`explain needs a batch [N, ...] with N >= 1, got shape [${x.shape.join(', ')}]`);
  if (x.dtype !== 'float32') throw new ExplainInputError(`explain needs float32 input, got ${x.dtype}`);
  const names = new Map(model.namedModules().map(([name, m]) => [m, name] as const));
  return { model, names, output, target: options.target };
}

export type MethodResult = Attribution & { method: Method; composite?: string };

/** The relevance and scores of `options.method` in eval mode; `session.host` (explainAsync) holds what was read ahead. */
export function attribute(session: Session, x: tf.Tensor, options: ExplainOptions): MethodResult {
  const method = options.method ?? 'lrp';
  const result = inEvalMode(session.model, () => attributionMethod(method).attribute(session, x, options));
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
