// SmoothGrad: the mean gradient over noisy copies of x, the noise drawn on the host from a seeded stream.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@logitlab/core';
import { throwIfAborted } from './abort';
import { ExplainOptionsError } from './errors';
import { type Attribution, checkCount } from './gradients';
import { forwardScores, gradientAt, type Session } from './session';

/** Most SmoothGrad samples one call draws: each is a forward and a backward pass over x. */
export const MAX_SMOOTHGRAD_SAMPLES = 10_000;

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

export interface SmoothGradOptions {
  n?: number;
  sigma?: number;
  seed?: number;
  signal?: AbortSignal;
}

/**
 * SmoothGrad (Smilkov et al. 2017): the mean signed gradient over `n` copies of x with Gaussian noise
 * of standard deviation `sigma` (default 0.15 of x's value range). Noise sample k of the batch is
 * normalNoise(n * size, seed)[k * size, (k + 1) * size), drawn one sample at a time (memory does not
 * grow with n); `signal` is checked between samples.
 */
export function smoothGrad(session: Session, x: tf.Tensor, options: SmoothGradOptions): Attribution {
  checkSmoothGrad(options);
  // x is finite (explain checked it), so the default sigma is too
  const sigma = options.sigma ?? tf.tidy(() => 0.15 * (tf.max(x).dataSync()[0]! - tf.min(x).dataSync()[0]!));
  return smooth(session, x, { ...options, sigma });
}

/** smoothGrad with x's range (the default sigma) read asynchronously (explainAsync on webgpu). */
export async function smoothGradAsync(session: Session, x: tf.Tensor, options: SmoothGradOptions): Promise<Attribution> {
  checkSmoothGrad(options);
  let sigma = options.sigma;
  if (sigma === undefined) {
    const range = tf.tidy(() => tf.stack([tf.max(x), tf.min(x)]));
    const [max, min] = await range.data();
    range.dispose();
    sigma = 0.15 * (max! - min!);
  }
  return smooth(session, x, { ...options, sigma });
}

function checkSmoothGrad({ n = 16, sigma, seed = 0 }: SmoothGradOptions): void {
  checkCount(n, 'n', MAX_SMOOTHGRAD_SAMPLES);
  if (sigma !== undefined && !(typeof sigma === 'number' && sigma >= 0 && Number.isFinite(sigma)))
    throw new ExplainOptionsError(`sigma must be a finite number >= 0, got ${String(sigma)}`);
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new ExplainOptionsError(`seed must be a finite number, got ${String(seed)}`);
}

// the loop, reading nothing but the scores at x (read ahead on a backend without sync reads)
function smooth(session: Session, x: tf.Tensor, { n = 16, sigma, seed = 0, signal }: SmoothGradOptions & { sigma: number }): Attribution {
  const scores = forwardScores(session, x);
  const nextNoise = normalStream(seed);
  const relevance = tf.tidy(() => {
    let acc = tf.zerosLike(x);
    for (let k = 0; k < n; k++) {
      throwIfAborted(signal, `smoothGrad (sample ${k} of ${n})`);
      // a fresh buffer per sample: a backend may keep the array it was given as the tensor's storage
      const point = tf.tidy(() => tf.add(x, tf.mul(tf.tensor(nextNoise(new Float32Array(x.size)), x.shape), sigma)));
      const grad = gradientAt(session, point, scores.target);
      const next = tf.add(acc, grad);
      tf.dispose([acc, grad, point]);
      acc = next;
    }
    return tf.div(acc, n);
  });
  return { relevance, scores, reference: scores.explained };
}
