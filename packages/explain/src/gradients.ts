import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@logitlab/core';
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

/** Integrated gradients, midpoint rule: (x - b) * mean_k grad f(b + (k + 0.5) / steps (x - b)). */
export function integratedGradients(
  session: Session,
  x: tf.Tensor,
  { baseline, steps = 32 }: { baseline?: number | tf.Tensor; steps?: number },
): Attribution {
  if (!Number.isInteger(steps) || steps < 1) throw new ExplainOptionsError(`steps must be a positive integer, got ${steps}`);
  const b = tf.tidy(() => baselineTensor(x, baseline));
  try {
    const scores = forwardScores(session, x);
    const base = forwardScores(session, b, scores.target);
    const sum = tf.tidy(() => {
      let acc = tf.zerosLike(x);
      const delta = tf.sub(x, b);
      for (let k = 0; k < steps; k++) {
        const point = tf.add(b, tf.mul(delta, (k + 0.5) / steps));
        const { grad } = backward(session, point, null, false, scores.target);
        const next = tf.add(acc, grad);
        tf.dispose([acc, grad, point]);
        acc = next;
      }
      return tf.mul(delta, tf.div(acc, steps));
    });
    const reference = scores.explained.map((f, i) => f - base.explained[i]!);
    return { relevance: sum, scores, reference };
  } finally {
    b.dispose();
  }
}

/** Standard normal draws, both of each Box-Muller pair of @logitlab/core's seeded mulberry32 Rng (reproducible in any language). */
export function normalNoise(count: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const [a, b] = rng.normalPair();
    out[i] = a;
    if (i + 1 < count) out[i + 1] = b;
  }
  return out;
}

/**
 * SmoothGrad (Smilkov et al. 2017): the mean signed gradient over `n` copies of x with Gaussian noise
 * of standard deviation `sigma` (default 0.15 of x's value range). Noise sample k of the batch is
 * normalNoise(n * size, seed)[k * size, (k + 1) * size).
 */
export function smoothGrad(
  session: Session,
  x: tf.Tensor,
  { n = 16, sigma, seed = 0 }: { n?: number; sigma?: number; seed?: number },
): Attribution {
  if (!Number.isInteger(n) || n < 1) throw new ExplainOptionsError(`n must be a positive integer, got ${n}`);
  const s = sigma ?? tf.tidy(() => 0.15 * (tf.max(x).dataSync()[0]! - tf.min(x).dataSync()[0]!));
  if (!(s >= 0)) throw new ExplainOptionsError(`sigma must be >= 0, got ${s}`);
  const scores = forwardScores(session, x);
  const noise = normalNoise(n * x.size, seed);
  const relevance = tf.tidy(() => {
    let acc = tf.zerosLike(x);
    for (let k = 0; k < n; k++) {
      const point = tf.add(x, tf.mul(tf.tensor(noise.subarray(k * x.size, (k + 1) * x.size), x.shape), s));
      const { grad } = backward(session, point, null, false, scores.target);
      const next = tf.add(acc, grad);
      tf.dispose([acc, grad, point]);
      acc = next;
    }
    return tf.div(acc, n);
  });
  return { relevance, scores, reference: scores.explained };
}
