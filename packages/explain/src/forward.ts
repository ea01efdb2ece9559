import * as tf from '@tensorflow/tfjs-core';
import { type Module, withForwardHook } from '@logitlab/layers';
import { ExplainInputError, ExplainModelError } from './errors';
import { lrpSpecOf } from './lrp-registry';

/** One call of a leaf module (one without children) during the forward pass, in call order. */
export interface LayerCall {
  readonly module: Module;
  /** Dotted name as `namedModules` gives it ('' for the model itself). */
  readonly name: string;
  /** 0 for the first leaf call of the forward, 1 for the next... */
  readonly index: number;
}

/** Replaces a leaf module's forward during an explanation; `forward` runs the module itself. */
export type LayerHook = (call: LayerCall, input: tf.Tensor, forward: (x: tf.Tensor) => tf.Tensor) => tf.Tensor;

/** Where attribution starts: 'auto' skips a logSoftmax / softmax / sigmoid head (detected numerically); 'model' uses the model output. */
export type OutputChoice = 'auto' | 'model';

const HEADS: readonly ((t: tf.Tensor) => tf.Tensor)[] = [(t) => tf.logSoftmax(t), (t) => tf.softmax(t), (t) => tf.sigmoid(t)];

/** A layer registered as a classification head (softmax, log-softmax, sigmoid): its output is never the logits. */
function isHeadModule(m: Module): boolean {
  const spec = lrpSpecOf(m);
  return spec !== undefined && ('passThrough' in spec || 'followGradient' in spec) && spec.head === true;
}

/** Per head: max |head(logits) - out| and max |out|, [HEADS, 2]; null when the shapes differ. */
function headGaps(out: tf.Tensor, logits: tf.Tensor): tf.Tensor | null {
  if (out.shape.length !== logits.shape.length || out.shape.some((d, i) => d !== logits.shape[i])) return null;
  return tf.tidy(() => tf.stack(HEADS.map((head) => tf.stack([tf.max(tf.abs(tf.sub(head(logits), out))), tf.max(tf.abs(out))]))));
}

/** True when `out` is head(`logits`) for one of the heads, to float32 rounding. */
function matchesAHead(gaps: ArrayLike<number>): boolean {
  return HEADS.some((_, h) => gaps[2 * h]! <= 1e-5 * Math.max(1, gaps[2 * h + 1]!));
}

function isHeadOf(out: tf.Tensor, logits: tf.Tensor): boolean {
  const gaps = headGaps(out, logits);
  if (!gaps) return false;
  try {
    return matchesAHead(gaps.dataSync());
  } finally {
    gaps.dispose();
  }
}

/**
 * Runs `model.call(x)` with `hook` around every leaf module and returns the tensor attribution starts
 * from, [N, K], on the gradient tape: the model output, or, when the model ends in a classification
 * head applied to the last layer's output (MnistConvNet's logSoftmax, a Sequential ending in Softmax),
 * that layer's output: the pre-head logits. Run it inside tf.tidy (or tf.grad).
 */
export function hookedForward(
  model: Module,
  x: tf.Tensor,
  names: ReadonlyMap<Module, string>,
  hook: LayerHook | null,
  output: OutputChoice,
  /** whether the model ends in a head, when known (read ahead asynchronously by explainAsync) */
  endsInHead?: boolean,
): tf.Tensor2D {
  const { out, logits, candidates } = forwardWithLogits(model, x, names, hook);
  const n = x.shape[0];
  const fromLogits = output === 'auto' && logits !== null && logits.source !== out && (endsInHead ?? isHeadOf(out, logits.copy));
  const start = fromLogits ? logits.copy : out;
  if (start.rank !== 2 || start.shape[0] !== n) {
    tf.dispose(candidates);
    throw new ExplainModelError(`explain needs one score vector per sample, [${n}, K]; the model returned [${out.shape.join(', ')}]`);
  }
  // a clone stays on the tape; the kept originals are freed (the tape holds what backward needs)
  const result = tf.clone(start) as tf.Tensor2D;
  tf.dispose(candidates);
  return result;
}

/** Whether the model's output is a head (logSoftmax, softmax, sigmoid) of its last layer's output, read asynchronously. */
export async function endsInHeadAsync(model: Module, x: tf.Tensor, names: ReadonlyMap<Module, string>): Promise<boolean> {
  let gaps: tf.Tensor | null = null;
  tf.tidy(() => {
    const { out, logits, candidates } = forwardWithLogits(model, x, names, null);
    const g = logits !== null && logits.source !== out ? headGaps(out, logits.copy) : null;
    gaps = g && tf.keep(g);
    tf.dispose(candidates);
  });
  const kept = gaps as tf.Tensor | null;
  if (!kept) return false;
  try {
    return matchesAHead(await kept.data());
  } finally {
    kept.dispose();
  }
}

interface Logits {
  source: tf.Tensor;
  copy: tf.Tensor;
}

function forwardWithLogits(
  model: Module,
  x: tf.Tensor,
  names: ReadonlyMap<Module, string>,
  hook: LayerHook | null,
): { out: tf.Tensor; logits: Logits | null; candidates: tf.Tensor[] } {
  const candidates: tf.Tensor[] = [];
  let last: { source: tf.Tensor; copy: tf.Tensor } | null = null;
  let index = 0;
  const n = x.shape[0];
  let out: tf.Tensor;
  try {
    out = withForwardHook(
      (module, input, forward) => {
        if (module.children().length > 0) return forward(input);
        const call = { module, name: names.get(module) ?? '', index: index++ };
        const y = hook ? hook(call, input, forward) : forward(input);
        // leaf outputs shaped like logits survive the model's own tf.tidy and disposals (Sequential frees
        // consumed intermediates) as kept clones, which stay on the tape, to start from
        if (!isHeadModule(module) && y.rank === 2 && y.shape[0] === n) {
          const copy = tf.keep(tf.clone(y));
          candidates.push(copy);
          last = { source: y, copy };
        }
        return y;
      },
      () => model.call(x),
    );
  } catch (e) {
    tf.dispose(candidates);
    if (e instanceof ExplainModelError) throw e;
    throw new ExplainInputError(`the model rejected input of shape [${x.shape.join(', ')}]: ${(e as Error).message}`, { cause: e });
  }
  return { out, logits: last as Logits | null, candidates };
}
