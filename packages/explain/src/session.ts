import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { ExplainTargetError } from './errors';
import { endsInHeadAsync, hookedForward, type LayerHook, type OutputChoice } from './forward';

/** What every method shares: the model, its module names, where attribution starts, and the requested targets. */
export interface Session {
  readonly model: Module;
  readonly names: ReadonlyMap<Module, string>;
  readonly output: OutputChoice;
  readonly target: number | readonly number[] | Int32Array | undefined;
  /** explainAsync: what was read ahead asynchronously, so nothing reads synchronously at x. */
  readonly host?: HostScores;
}

/** Values read ahead for one input tensor `x`: its start scores and whether the model ends in a head. */
export interface HostScores {
  readonly x: tf.Tensor;
  readonly scores: Scores;
  readonly endsInHead: boolean;
}

export interface Scores {
  /** Start scores (pre-head logits or f(x)), row-major [N, K]. */
  scores: Float32Array;
  classes: number;
  /** Target class per sample. */
  target: Int32Array;
  /** scores[i, target[i]]. */
  explained: Float32Array;
}

/** Resolves the target per sample: the given class(es), else the highest-scoring class. */
function resolveTarget(session: Session, scores: Float32Array, n: number, k: number): Int32Array {
  const t = session.target;
  const out = new Int32Array(n);
  if (t === undefined) {
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (scores[i * k + j]! > scores[i * k + best]!) best = j;
      out[i] = best;
    }
    return out;
  }
  const list = typeof t === 'number' ? Array.from({ length: n }, () => t) : Array.from(t);
  if (list.length !== n)
    throw new ExplainTargetError(`target has ${list.length} entries for a batch of ${n}; give one class index, or one per sample`);
  list.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= k)
      throw new ExplainTargetError(
        `target ${c} (sample ${i}) is out of range: the model scores ${k} classes, so expected an integer in [0, ${k - 1}]`,
      );
    out[i] = c;
  });
  return out;
}

// The Scores of start values read back from a [N, K] tensor, however they were read
function scoresFrom(values: Float32Array, [n, k]: [number, number], session: Session, fixed?: Int32Array): Scores {
  const target = fixed ?? resolveTarget(session, values, n, k);
  const explained = new Float32Array(n);
  for (let i = 0; i < n; i++) explained[i] = values[i * k + target[i]!]!;
  return { scores: Float32Array.from(values), classes: k, target, explained };
}

function scoresOf(start: tf.Tensor2D, session: Session, fixed?: Int32Array): Scores {
  return scoresFrom(start.dataSync() as Float32Array, start.shape, session, fixed);
}

// The plain forward to the start scores (hooks change only gradients); endsInHead as read ahead, if it was
function startOf(session: Session, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => hookedForward(session.model, x, session.names, null, session.output, session.host?.endsInHead));
}

// The scores read ahead for exactly this x (and these targets), if any.
function readAhead(session: Session, x: tf.Tensor, target?: Int32Array): Scores | undefined {
  const host = session.host;
  if (!host || host.x !== x) return undefined;
  if (target && target.some((t, i) => t !== host.scores.target[i])) return undefined;
  return host.scores;
}

/** The start scores of x and the resolved targets, read asynchronously (explainAsync's read-ahead). */
export async function hostScores(session: Session, x: tf.Tensor): Promise<HostScores> {
  const endsInHead = session.output === 'auto' ? await endsInHeadAsync(session.model, x, session.names) : false;
  const start = tf.tidy(() => hookedForward(session.model, x, session.names, null, session.output, endsInHead));
  try {
    return { x, scores: scoresFrom((await start.data()) as Float32Array, start.shape, session), endsInHead };
  } finally {
    start.dispose();
  }
}

/** Forward only: the start scores of x and the resolved targets. */
export function forwardScores(session: Session, x: tf.Tensor, target?: Int32Array): Scores {
  const known = readAhead(session, x, target);
  if (known) return known;
  const start = startOf(session, x);
  try {
    return scoresOf(start, session, target);
  } finally {
    start.dispose();
  }
}

/**
 * forwardScores with an asynchronous read, for inputs other than the read-ahead x (a baseline, occluded
 * copies) on a backend without sync reads. Whether the model ends in a head is taken from the read-ahead.
 */
export async function forwardScoresAsync(session: Session, x: tf.Tensor, target?: Int32Array): Promise<Scores> {
  const known = readAhead(session, x, target);
  if (known) return known;
  const start = startOf(session, x);
  try {
    return scoresFrom((await start.data()) as Float32Array, start.shape, session, target);
  } finally {
    start.dispose();
  }
}

/** value = t; the gradient is dy * t, so a one-hot seed above it becomes R = one-hot * score (LRP starts at the score itself). */
const seedByValue = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
  save([t]);
  return { value: tf.clone(t), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
}) as never) as (t: tf.Tensor) => tf.Tensor;

/**
 * One forward + backward pass: d(score of the target)/dx, or with `byValue` the relevance an LRP
 * hook hands back when the target's score itself is the top relevance. `hook` makes a fresh layer
 * hook per pass. Targets come resolved (and checked) from a `forwardScores` pass: nothing may throw
 * while the gradient tape records, or the tape's saved tensors would leak. The caller disposes `grad`.
 */
export function backward(
  session: Session,
  x: tf.Tensor,
  hook: (() => LayerHook) | null,
  byValue: boolean,
  fixed: Int32Array,
): { grad: tf.Tensor; scores: Scores } {
  let scores: Scores | null = null;
  const grad = tf.grad((xx: tf.Tensor) => {
    const start = hookedForward(session.model, xx, session.names, hook ? hook() : null, session.output, session.host?.endsInHead);
    // the forward value at x is the plain forward's (hooks change only the gradient)
    scores = readAhead(session, x, fixed) ?? scoresOf(start, session, fixed);
    return tf.sum(tf.mul(targetMask(start, fixed), byValue ? seedByValue(start) : start));
  })(x);
  return { grad, scores: scores! };
}

// one-hot of the targets over the start scores' classes; tf.oneHot needs depth >= 2, and a
// single-output model's only class is 0
function targetMask(start: tf.Tensor, target: Int32Array): tf.Tensor {
  const classes = start.shape[1]!;
  return classes === 1 ? tf.onesLike(start) : tf.oneHot(tf.tensor1d(target, 'int32'), classes);
}

/**
 * d(score of `target`)/dx and nothing read back: the points integrated gradients and SmoothGrad visit
 * off x need no scores, so their loops run on a backend without sync reads (and skip a read per step
 * elsewhere). Targets come resolved from a forwardScores pass at x. The caller disposes the gradient.
 */
export function gradientAt(session: Session, x: tf.Tensor, target: Int32Array): tf.Tensor {
  return tf.grad((xx: tf.Tensor) => {
    const start = hookedForward(session.model, xx, session.names, null, session.output, session.host?.endsInHead);
    return tf.sum(tf.mul(targetMask(start, target), start));
  })(x);
}
