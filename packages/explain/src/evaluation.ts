import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { type ScoreFn, spearman } from '@logitlab/metrics';
import { ExplainInputError, ExplainOptionsError } from './errors';
import { explain, type ExplainOptions } from './explain';
import { forwardScores, type Session } from './session';

export interface ScoreFunctionOptions {
  /** Shape of one sample, e.g. [28, 28, 1]. */
  sampleShape: readonly number[];
  /** Class scored, for every sample or one per sample (then every call must score the whole batch); default: the predicted class of each call's batch. */
  target?: number | Int32Array | readonly number[];
  output?: ExplainOptions['output'];
}

/**
 * A score function for `pixelFlipping` (from @logitlab/metrics) over any model: the target's
 * pre-head logit (or f(x) for a single-output model), the same score `explain` attributes.
 */
export function scoreFunction(model: Module, { sampleShape, target, output = 'auto' }: ScoreFunctionOptions): ScoreFn {
  if (!Array.isArray(sampleShape) || sampleShape.length === 0 || !sampleShape.every((d) => Number.isInteger(d) && d >= 1))
    throw new ExplainOptionsError(
      `sampleShape must be a non-empty list of positive integers (one sample, e.g. [28, 28, 1]), got ${JSON.stringify(sampleShape)}`,
    );
  const size = sampleShape.reduce((a, b) => a * b, 1);
  const names = new Map(model.namedModules().map(([name, m]) => [m, name] as const));
  return (batch, count) => {
    // tfjs's own message ("Based on the provided shape...") names neither the option nor the fix
    if (!Number.isInteger(count) || count < 1 || batch.length !== count * size)
      throw new ExplainInputError(
        `the score function got ${batch.length} values for ${count} samples of sampleShape [${sampleShape.join(', ')}] (${size} values each); expected ${Number.isInteger(count) && count >= 1 ? count * size : 'count >= 1 samples'}: is sampleShape right?`,
      );
    const x = tf.tensor(batch, [count, ...sampleShape]);
    const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
    model.eval();
    try {
      const session: Session = { model, names, output, target };
      return forwardScores(session, x).explained;
    } finally {
      for (const [m, t] of modes) m.training = t;
      x.dispose();
    }
  };
}

/**
 * Mean over images, a constant heatmap counting as 0: a randomised model that explains nothing (all
 * zero relevance, e.g. every ReLU dead) shares no ranking with the trained one.
 */
function meanCorrelation(perImage: Float64Array): number {
  let sum = 0;
  for (const v of perImage) sum += Number.isNaN(v) ? 0 : v;
  return sum / perImage.length;
}

export interface RandomisationOptions {
  /** Seed of the random weights (default 0). */
  seed?: number;
}

export interface RandomisationStep {
  /** The layer randomised at this step (all layers above it are random too: cascading). */
  layer: string;
  /** Mean over images of the Spearman rank correlation with the trained model's heatmap (0 for a constant heatmap). */
  spearman: number;
  /** The same on |relevance| (Adebayo et al. report both). */
  spearmanAbs: number;
}

/**
 * The model-parameter randomisation test (Adebayo et al. 2018, cascading): re-draw the weights of
 * the top layer, then also the next one down, ..., each from a normal with the layer's own mean and
 * standard deviation; after each step explain again (same targets) and compare with the trained
 * model's heatmaps. An explanation that depends on the model should decorrelate quickly. The
 * trained weights are restored afterwards, also on error.
 */
export function randomisationCheck(
  model: Module,
  x: tf.Tensor,
  options: ExplainOptions = {},
  { seed = 0 }: RandomisationOptions = {},
): RandomisationStep[] {
  const leaves = model.namedModules().filter(([, m]) => m.children().length === 0 && m.parameters().length > 0);
  // oxlint-disable-next-line unicorn/no-array-reverse -- reverses a fresh filtered copy; toReversed is ES2023
  const layers = leaves.reverse();
  if (layers.length === 0) throw new ExplainInputError('randomisationCheck needs a model with parameters');
  if (options.target !== undefined && typeof options.target !== 'number' && Array.from(options.target).length !== x.shape[0]) {
    throw new ExplainOptionsError('randomisationCheck: target must have one entry per sample');
  }
  const n = x.shape[0]!;
  const reference = explain(model, x, options);
  const target = reference.target;
  const refData = reference.relevance.dataSync();
  const refAbs = refData.map(Math.abs);
  reference.relevance.dispose();
  const saved = model.parameters().map((p) => [p, tf.clone(p)] as const);
  const steps: RandomisationStep[] = [];
  try {
    let s = seed;
    for (const [name, layer] of layers) {
      tf.tidy(() => {
        for (const p of layer.parameters()) {
          const { mean, variance } = tf.moments(p);
          const std = Math.sqrt(variance.dataSync()[0]!) || 1e-2;
          p.assign(tf.randomNormal(p.shape, mean.dataSync()[0]!, std, 'float32', s++));
        }
      });
      const e = explain(model, x, { ...options, target });
      const data = e.relevance.dataSync();
      e.relevance.dispose();
      steps.push({
        layer: name,
        spearman: meanCorrelation(spearman(refData, data, n).perImage),
        spearmanAbs: meanCorrelation(spearman(refAbs, data.map(Math.abs), n).perImage),
      });
    }
  } finally {
    for (const [p, copy] of saved) {
      p.assign(copy);
      copy.dispose();
    }
  }
  return steps;
}
