import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  attributionLocalisation,
  completeness,
  entropy,
  faithfulnessCorrelation,
  inputInvariance,
  localLipschitzEstimate,
  maxSensitivity,
  monotonicity,
  pixelFlipping,
  pointingGame,
  randomLogit,
  regionPerturbation,
  sparseness,
} from '../index';

// Reference values from packages/metrics/scripts/quantus_reference.py: the published definitions
// (as Quantus implements them) in numpy, on 3 images of 6 x 6 x 1, with a port of our seeded generator
// so both sides draw the same noise. Tolerances: 1e-9 where both sides compute in float64 from the
// same float32 inputs; 1e-6 relative for the robustness metrics, whose Gaussian noise goes through
// libm's log / cos and a float32 rounding that may differ by one ulp between V8 and CPython.
interface Ref {
  count: number;
  shape: [number, number, number];
  numClasses: number;
  images: number[];
  weights: number[];
  targets: number[];
  relevance: number[];
  masks: number[];
  [metric: string]: unknown;
}
const ref = JSON.parse(readFileSync(new URL('../fixtures/quantus-reference.json', import.meta.url), 'utf8')) as Ref;
const { count, shape, numClasses } = ref;
const d = shape[0] * shape[1] * shape[2];
const images = Float32Array.from(ref.images);
const relevance = Float32Array.from(ref.relevance);
const masks = Float32Array.from(ref.masks);
const weights = Float32Array.from(ref.weights);
const targets = Int32Array.from(ref.targets);
const entry = (name: string) => ref[name] as { options: Record<string, number>; perImage: number[]; [k: string]: unknown };

function dot(batch: Float32Array, i: number, t: number): number {
  let z = 0;
  for (let j = 0; j < d; j++) z += (batch[i * d + j] as number) * (weights[t * d + j] as number);
  return z;
}
// f_t(x) = tanh(w_t . x) + 0.1 w_t . x, as the script's score()
const score = (batch: Float32Array, n: number) =>
  Float64Array.from({ length: n }, (_, i) => {
    const z = dot(batch, i, targets[i]!);
    return Math.tanh(z) + 0.1 * z;
  });
// the script's explainer(): w_t * x * x, rounded to float32 after each product as numpy does
const explainer = (batch: Float32Array, n: number, t: Int32Array) =>
  Float32Array.from({ length: n * d }, (_, k) => {
    const i = Math.floor(k / d);
    return Math.fround((weights[t[i]! * d + (k % d)] as number) * (batch[k] as number)) * (batch[k] as number);
  });

// gradient x input
const gxi = (batch: Float32Array, n: number, t: Int32Array) =>
  Float32Array.from({ length: n * d }, (_, k) => (weights[t[Math.floor(k / d)]! * d + (k % d)] as number) * (batch[k] as number));

function close(actual: ArrayLike<number>, expected: readonly number[], tol: number, relative = false): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const scale = relative ? Math.max(1, Math.abs(expected[i]!)) : 1;
    expect(Math.abs((actual[i] as number) - expected[i]!) / scale, `entry ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  }
}

// score() for stacked copies: image j is scored for the class of image j mod count
const scoreCopies = (batch: Float32Array, n: number) =>
  Float64Array.from({ length: n }, (_, i) => {
    const z = dot(batch, i, targets[i % count]!);
    return Math.tanh(z) + 0.1 * z;
  });

describe('explanation metric families against the numpy reference', () => {
  it.each(['pixelFlippingUniform', 'pixelFlippingMin', 'pixelFlippingRandom'])(
    'faithfulness: %s (AOPC and the score after every step), one step per call and three',
    async (name) => {
      const e = entry(name);
      const order = e['order'] as 'relevance' | 'random';
      const aopc = e['aopc'] as number[];
      for (const copiesPerCall of [1, 3]) {
        const r = await pixelFlipping(scoreCopies, images, { count, relevance, order, ...e.options, copiesPerCall } as never);
        // the scores are float32 on both sides; one float64 ulp of tanh between V8 and libm may move the rounding
        close(r.scores, e['scores'] as number[], 1e-6, true);
        expect(Math.abs(r.aopc - aopc.reduce((a, b) => a + b, 0) / count)).toBeLessThanOrEqual(1e-6);
      }
    },
  );

  it('faithfulness: region perturbation (uniform noise and min baseline)', async () => {
    const u = entry('regionPerturbationUniform');
    const r = await regionPerturbation(score, images, relevance, { count, shape, ...u.options, perturbation: 'uniform', range: [0, 1] });
    close(r.perImage, u.perImage, 1e-9);
    close(r.scores, u.scores as number[], 1e-9);
    const m = entry('regionPerturbationMin');
    close(
      (await regionPerturbation(score, images, relevance, { count, shape, ...m.options, perturbation: 'min', range: [0, 1] })).perImage,
      m.perImage,
      1e-9,
    );
  });

  it('faithfulness: faithfulness correlation and monotonicity', async () => {
    const fc = entry('faithfulnessCorrelation');
    close((await faithfulnessCorrelation(score, images, relevance, { count, ...fc.options })).perImage, fc.perImage, 1e-9);
    const mono = entry('monotonicity');
    const r = await monotonicity(score, images, relevance, { count, ...mono.options });
    close(r.perImage, mono.perImage, 0);
    close(r.stepShare, mono.stepShare as number[], 1e-12);
  });

  it('robustness: max-sensitivity and the local Lipschitz estimate', async () => {
    const ms = entry('maxSensitivity');
    close((await maxSensitivity(explainer, images, relevance, { count, targets, ...ms.options })).perImage, ms.perImage, 1e-6, true);
    const ll = entry('localLipschitzEstimate');
    close(
      (await localLipschitzEstimate(explainer, images, relevance, { count, targets, ...ll.options })).perImage,
      ll.perImage,
      1e-6,
      true,
    );
  });

  it('localisation: pointing game and attribution localisation', () => {
    close(pointingGame(relevance, masks, count).perImage, entry('pointingGame').perImage, 0);
    const al = entry('attributionLocalisation');
    close(attributionLocalisation(relevance, masks, count).perImage, al.perImage, 1e-9);
    close(attributionLocalisation(relevance, masks, count, { weighted: false }).perImage, al.unweighted as number[], 1e-9);
  });

  it('complexity: sparseness (Gini) and entropy', () => {
    close(sparseness(relevance, count).perImage, entry('sparseness').perImage, 1e-9);
    close(entropy(relevance, count).perImage, entry('entropy').perImage, 1e-9);
  });

  it('randomisation: random logit', async () => {
    const rl = entry('randomLogit');
    const r = await randomLogit(explainer, images, relevance, { count, targets, numClasses, ...rl.options });
    expect(Array.from(r.offTargets)).toEqual(rl.offTargets);
    close(r.perImage, rl.perImage, 1e-9);
  });

  it('axiomatic: completeness and input invariance', async () => {
    close((await completeness(score, images, relevance, { count })).perImage, entry('completeness').perImage, 1e-9);
    // gradient x input of the shifted model sees x + shift; the maps under test are w * x
    const ii = entry('inputInvariance');
    const plain = gxi(images, count, targets);
    const r = await inputInvariance(gxi, images, plain, { count, targets, ...ii.options });
    close(r.relChange, ii.relChange as number[], 1e-9);
    expect(Array.from(r.perImage)).toEqual([0, 0, 0]);
  });
});
