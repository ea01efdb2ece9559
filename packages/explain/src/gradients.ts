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

// Integrated gradients' points go through the model several steps at a time, up to this many images per
// pass: on the native backend a backward pass of 32 convnet images costs ~2.5x more per image than one
// of 128 (measured at load ~35), and a step is one backward pass over the whole batch.
const IG_IMAGES_PER_PASS = 128;

/**
 * Integrated gradients, midpoint rule: (x - b) * mean_k grad f(b + (k + 0.5) / steps (x - b)).
 * Steps are stacked along the batch, as many per pass as fit in IG_IMAGES_PER_PASS images (one for a
 * batch that large), so memory is bounded by that, not by `steps`; the gradients are summed in step
 * order either way. `signal` is checked between passes. The only values read are the scores at x and
 * at the baseline.
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
      const grad = gradientAt(session, points, targets);
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
}
