import * as tf from '@tensorflow/tfjs-core';
import type { PairedSet } from '@logitlab/datasets';
import { type ExplainOptions, explain } from '@logitlab/explain';
import type { Module } from '@logitlab/layers';
import { pixelFlipping, pointingGame, relevanceMassAccuracy, sparseness, type ScoreFn } from '@logitlab/metrics';

const PX = 28 * 56;

/** The scores the deep-taylor experiment and its variants script compare maps by (all higher is better). */
export interface MapScores {
  /** Pixel flipping's AOPC over mean f(x0): 100 steps of 4 pixels, uniform noise in the coding's range (Samek et al. 2017). */
  aopc: number;
  /** Share of positive relevance on the 0-3 digit's stroke pixels (relevance mass accuracy). */
  strokeMass: number;
  /** Share of images whose most relevant pixel lies on those strokes. */
  pointing: number;
  /** Gini index of |R| (1: all relevance on one pixel). */
  sparseness: number;
}

/** The scores with pixel flipping's curve (mean f after each step), raw AOPC and mean f(x0), for figures and summaries. */
export interface ScoredMaps extends MapScores {
  curve: ArrayLike<number>;
  aopcRaw: number;
  meanF0: number;
}

/**
 * Ground truth of a positive pair: the stroke pixels of its 0-3 digit (pairedDigits' masks hold 1 +
 * digit on stroke pixels), one [28 * 56] mask per picked pair.
 */
export function targetStrokes(set: PairedSet, picks: readonly number[]): Float32Array {
  const strokes = new Float32Array(picks.length * PX);
  picks.forEach((i, k) => {
    for (let j = 0; j < PX; j++) {
      const m = set.masks[i * PX + j]!;
      strokes[k * PX + j] = m >= 1 && m <= 4 ? 1 : 0;
    }
  });
  return strokes;
}

/** Scores one method's maps of `count` images against the 0-3 digit's strokes and by pixel flipping. */
export async function scoreMaps(
  score: ScoreFn,
  x: Float32Array,
  relevance: Float32Array,
  strokes: Float32Array,
  { count, range, seed }: { count: number; range: readonly [number, number]; seed: number },
): Promise<ScoredMaps> {
  const flip = await pixelFlipping(score, x, {
    count,
    relevance,
    steps: 100,
    pixelsPerStep: 4,
    perturbation: 'uniform',
    range: [range[0], range[1]],
    seed,
  });
  return {
    aopc: flip.aopcNormalized,
    strokeMass: relevanceMassAccuracy(relevance, strokes, count).mean,
    pointing: pointingGame(relevance, strokes, count).mean,
    sparseness: sparseness(relevance, count).mean,
    curve: flip.curve,
    aopcRaw: flip.aopc,
    meanF0: flip.meanF0,
  };
}

/** Relevance maps of `x` ([n, 1568]) in batches of 100, with each image's explained output and conservation error. */
export function explainAll(
  model: Module,
  x: Float32Array,
  options: ExplainOptions,
): { relevance: Float32Array; relError: Float32Array; output: Float32Array } {
  const n = x.length / PX;
  const relevance = new Float32Array(x.length);
  const relError = new Float32Array(n);
  const output = new Float32Array(n);
  for (let i = 0; i < n; i += 100) {
    const k = Math.min(100, n - i);
    const batch = tf.tensor2d(x.subarray(i * PX, (i + k) * PX), [k, PX]);
    const e = explain(model, batch, options);
    relevance.set(e.relevance.dataSync() as Float32Array, i * PX);
    relError.set(e.conservation.relError, i);
    output.set(e.conservation.output, i);
    e.relevance.dispose();
    batch.dispose();
  }
  return { relevance, relError, output };
}
