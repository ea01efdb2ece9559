import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@logitlab/core';
import { throwIfAborted } from './abort';
import { ExplainOptionsError } from './errors';
import { backward, forwardScores, type Scores, type Session } from './session';

export interface Attribution {
  relevance: tf.Tensor;
  scores: Scores;
  /** What sum(relevance) is compared with per sample: f(x), or f(x) - f(baseline) for integrated gradients. */
  reference: Float32Array;
}

export type GradientKind = 'gradient' | 'sensitivity' | 'gradientTimesInput';

/** The signed gradient, its square (sensitivity) or gradient x input, of the target's score. */
export function gradientMethod(session: Session, x: tf.Tensor, kind: GradientKind): Attribution {
  const { grad, scores } = backward(session, x, null, false, forwardScores(session, x).target);
  const relevance = tf.tidy(() => (kind === 'gradient' ? tf.clone(grad) : kind === 'sensitivity' ? tf.square(grad) : tf.mul(x, grad)));
  grad.dispose();
  return { relevance, scores, reference: scores.explained };
}

export function baselineTensor(x: tf.Tensor, baseline: number | tf.Tensor | undefined): tf.Tensor {
  if (baseline === undefined || typeof baseline === 'number') return tf.fill(x.shape, baseline ?? 0);
  if (baseline.size !== x.size && baseline.size * x.shape[0]! !== x.size) {
    throw new ExplainOptionsError(
      `baseline has shape [${baseline.shape.join(', ')}]; expected x's shape [${x.shape.join(', ')}] or one sample of it`,
    );
  }
  return tf.broadcastTo(tf.reshape(baseline, baseline.size === x.size ? x.shape : [1, ...x.shape.slice(1)]), x.shape);
}

/** Most integrated-gradients steps one call runs (captum's default is 50): each is a forward and a backward pass over x. */
export const MAX_IG_STEPS = 10_000;
/** Most SmoothGrad samples one call draws: each is a forward and a backward pass over x. */
export const MAX_SMOOTHGRAD_SAMPLES = 10_000;

function checkCount(value: number, name: string, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new ExplainOptionsError(`${name} must be an integer in [1, ${max}], got ${value}`);
}

// Integrated gradients' points go through the model several steps at a time, up to this many images per
// pass: on the native backend a backward pass of 32 convnet images costs ~2.5x more per image than one
// of 128 (measured at load ~35), and a step is one backward pass over the whole batch.
const IG_IMAGES_PER_PASS = 128;

/**
 * Integrated gradients, midpoint rule: (x - b) * mean_k grad f(b + (k + 0.5) / steps (x - b)).
 * Steps are stacked along the batch, as many per pass as fit in IG_IMAGES_PER_PASS images (one for a
 * batch that large), so memory is bounded by that, not by `steps`; the gradients are summed in step
 * order either way. `signal` is checked between passes.
 */
export function integratedGradients(
  session: Session,
  x: tf.Tensor,
  { baseline, steps = 32, signal }: { baseline?: number | tf.Tensor; steps?: number; signal?: AbortSignal },
): Attribution {
  checkCount(steps, 'steps', MAX_IG_STEPS);
  const b = tf.tidy(() => baselineTensor(x, baseline));
  try {
    const scores = forwardScores(session, x);
    const base = forwardScores(session, b, scores.target);
    const n = x.shape[0]!;
    const perPass = Math.max(1, Math.min(steps, Math.floor(IG_IMAGES_PER_PASS / n)));
    const sum = tf.tidy(() => {
      let acc = tf.zerosLike(x);
      const delta = tf.sub(x, b);
      for (let k0 = 0; k0 < steps; k0 += perPass) {
        throwIfAborted(signal, `integratedGradients (step ${k0} of ${steps})`);
        const m = Math.min(perPass, steps - k0);
        const targets = new Int32Array(m * n);
        for (let k = 0; k < m; k++) targets.set(scores.target, k * n);
        // the inner tidy frees the scaled deltas now, not when the loop ends (memory would grow with steps)
        const points = tf.tidy(() => tf.concat(Array.from({ length: m }, (_, k) => tf.add(b, tf.mul(delta, (k0 + k + 0.5) / steps)))));
        const { grad } = backward(session, points, null, false, targets);
        for (let k = 0; k < m; k++) {
          const next = tf.tidy(() => tf.add(acc, m === 1 ? grad : tf.slice(grad, k * n, n)));
          acc.dispose();
          acc = next;
        }
        tf.dispose([grad, points]);
      }
      return tf.mul(delta, tf.div(acc, steps));
    });
    const reference = scores.explained.map((f, i) => f - base.explained[i]!);
    return { relevance: sum, scores, reference };
  } finally {
    b.dispose();
  }
}

/**
 * A stream of standard normal draws: fills one buffer after another with the values normalNoise(total,
 * seed) would hold in a row, so SmoothGrad holds one sample's noise at a time, not n of them.
 */
function normalStream(seed: number): (out: Float32Array) => Float32Array {
  const rng = new Rng(seed);
  let spare: number | null = null;
  return (out) => {
    for (let i = 0; i < out.length; i++) {
      if (spare !== null) {
        out[i] = spare;
        spare = null;
      } else {
        const [a, b] = rng.normalPair();
        out[i] = a;
        spare = b;
      }
    }
    return out;
  };
}

/** Standard normal draws, both of each Box-Muller pair of @logitlab/core's seeded mulberry32 Rng (reproducible in any language). */
export function normalNoise(count: number, seed: number): Float32Array {
  return normalStream(seed)(new Float32Array(count));
}

/**
 * SmoothGrad (Smilkov et al. 2017): the mean signed gradient over `n` copies of x with Gaussian noise
 * of standard deviation `sigma` (default 0.15 of x's value range). Noise sample k of the batch is
 * normalNoise(n * size, seed)[k * size, (k + 1) * size), drawn one sample at a time (memory does not
 * grow with n); `signal` is checked between samples.
 */
export function smoothGrad(
  session: Session,
  x: tf.Tensor,
  { n = 16, sigma, seed = 0, signal }: { n?: number; sigma?: number; seed?: number; signal?: AbortSignal },
): Attribution {
  checkCount(n, 'n', MAX_SMOOTHGRAD_SAMPLES);
  if (sigma !== undefined && !(typeof sigma === 'number' && sigma >= 0 && Number.isFinite(sigma)))
    throw new ExplainOptionsError(`sigma must be a finite number >= 0, got ${String(sigma)}`);
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new ExplainOptionsError(`seed must be a finite number, got ${String(seed)}`);
  // x is finite (explain checked it), so the default sigma is too
  const s = sigma ?? tf.tidy(() => 0.15 * (tf.max(x).dataSync()[0]! - tf.min(x).dataSync()[0]!));
  const scores = forwardScores(session, x);
  const nextNoise = normalStream(seed);
  const relevance = tf.tidy(() => {
    let acc = tf.zerosLike(x);
    for (let k = 0; k < n; k++) {
      throwIfAborted(signal, `smoothGrad (sample ${k} of ${n})`);
      // a fresh buffer per sample: a backend may keep the array it was given as the tensor's storage
      const point = tf.tidy(() => tf.add(x, tf.mul(tf.tensor(nextNoise(new Float32Array(x.size)), x.shape), s)));
      const { grad } = backward(session, point, null, false, scores.target);
      const next = tf.add(acc, grad);
      tf.dispose([acc, grad, point]);
      acc = next;
    }
    return tf.div(acc, n);
  });
  return { relevance, scores, reference: scores.explained };
}
