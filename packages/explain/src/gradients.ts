import * as tf from '@tensorflow/tfjs-core';
import { throwIfAborted } from './abort';
import { ExplainOptionsError } from './errors';
import { backward, forwardScores, forwardScoresAsync, gradientAt, type Scores, type Session } from './session';

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
export function checkCount(value: number, name: string, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new ExplainOptionsError(`${name} must be an integer in [1, ${max}], got ${value}`);
}

export interface IntegratedGradientsOptions {
  baseline?: number | tf.Tensor;
  steps?: number;
  signal?: AbortSignal;
}

/**
 * Integrated gradients, midpoint rule: (x - b) * mean_k grad f(b + (k + 0.5) / steps (x - b)).
 * One step's point and gradient live at a time, so memory does not grow with `steps`; `signal` is
 * checked between steps. The only values read are the scores at x and at the baseline.
 */
export function integratedGradients(session: Session, x: tf.Tensor, options: IntegratedGradientsOptions): Attribution {
  const b = baselineOf(x, options);
  try {
    const scores = forwardScores(session, x);
    return integrate(session, x, b, scores, forwardScores(session, b, scores.target), options);
  } finally {
    b.dispose();
  }
}

/** integratedGradients with the baseline's scores read asynchronously (explainAsync on webgpu). */
export async function integratedGradientsAsync(session: Session, x: tf.Tensor, options: IntegratedGradientsOptions): Promise<Attribution> {
  const b = baselineOf(x, options);
  try {
    const scores = forwardScores(session, x);
    return integrate(session, x, b, scores, await forwardScoresAsync(session, b, scores.target), options);
  } finally {
    b.dispose();
  }
}

// checks steps before anything is made, then the baseline tensor (the caller disposes it)
function baselineOf(x: tf.Tensor, { baseline, steps = 32 }: IntegratedGradientsOptions): tf.Tensor {
  checkCount(steps, 'steps', MAX_IG_STEPS);
  return tf.tidy(() => baselineTensor(x, baseline));
}

function integrate(
  session: Session,
  x: tf.Tensor,
  b: tf.Tensor,
  scores: Scores,
  base: Scores,
  { steps = 32, signal }: IntegratedGradientsOptions,
): Attribution {
  const sum = tf.tidy(() => {
    let acc = tf.zerosLike(x);
    const delta = tf.sub(x, b);
    for (let k = 0; k < steps; k++) {
      throwIfAborted(signal, `integratedGradients (step ${k} of ${steps})`);
      // the inner tidy frees the scaled delta now, not when the loop ends (memory would grow with steps)
      const point = tf.tidy(() => tf.add(b, tf.mul(delta, (k + 0.5) / steps)));
      const grad = gradientAt(session, point, scores.target);
      const next = tf.add(acc, grad);
      tf.dispose([acc, grad, point]);
      acc = next;
    }
    return tf.mul(delta, tf.div(acc, steps));
  });
  const reference = scores.explained.map((f, i) => f - base.explained[i]!);
  return { relevance: sum, scores, reference };
}
