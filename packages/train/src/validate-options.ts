import type * as tf from '@tensorflow/tfjs-core';
import { TrainError } from './errors';

/** What a value is, for a message: `undefined`, `null`, `an array`, `a number (3)`, `an object ({})`. */
export function describeValue(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    return `an object (${keys.length ? `keys ${keys.slice(0, 5).join(', ')}` : 'no keys'})`;
  }
  if (typeof v === 'function') return 'a function';
  return `a ${typeof v} (${String(v).slice(0, 40)})`;
}

function iterable(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  return typeof o[Symbol.iterator] === 'function' || typeof o[Symbol.asyncIterator] === 'function';
}

function positiveInteger(name: string, v: unknown): void {
  if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1))
    throw new TrainError(`${name} must be a positive integer; got ${describeValue(v)}`);
}

/**
 * fit's options whose wrong types surfaced as raw TypeErrors deep in the loop (`optimizer: undefined`,
 * `data: {}`, a non-function `loss`) or were accepted silently (`validation.every: 0` validated only
 * after the last epoch). Checked once, before anything runs; each error names the option and the value.
 */
export function validateFitOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null)
    throw new TrainError(`fit needs an options object { loss, optimizer, data, epochs }; got ${describeValue(options)}`);
  const o = options as Record<'loss' | 'forward' | 'optimizer' | 'data' | 'afterStep' | 'callbacks' | 'validation', unknown>;
  if (typeof o.loss !== 'function')
    throw new TrainError(`fit option loss must be a function (output, target) => scalar tensor; got ${describeValue(o.loss)}`);
  for (const name of ['forward', 'afterStep'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function')
      throw new TrainError(`fit option ${name} must be a function when given; got ${describeValue(o[name])}`);
  }
  const opt = o.optimizer as Partial<tf.Optimizer> | undefined;
  if (typeof opt !== 'object' || opt === null || typeof opt.applyGradients !== 'function' || typeof opt.getClassName !== 'function')
    throw new TrainError(`fit option optimizer must be a tf.train optimizer (e.g. tf.train.adam(1e-3)); got ${describeValue(opt)}`);
  if (!iterable(o.data))
    throw new TrainError(
      `fit option data must be an iterable or async iterable of { x, y } batches (a DataLoader); got ${describeValue(o.data)}`,
    );
  if (o.callbacks !== undefined && !Array.isArray(o.callbacks))
    throw new TrainError(`fit option callbacks must be an array; got ${describeValue(o.callbacks)}`);
  if (o.validation !== undefined) {
    const v = o.validation as { data?: unknown; every?: unknown; metrics?: unknown } | null;
    if (typeof v !== 'object' || v === null)
      throw new TrainError(`fit option validation must be { data, metrics?, every? }; got ${describeValue(v)}`);
    if (!iterable(v.data))
      throw new TrainError(`fit option validation.data must be an iterable of { x, y } batches; got ${describeValue(v.data)}`);
    positiveInteger('fit option validation.every', v.every);
    if (v.metrics !== undefined) {
      if (typeof v.metrics !== 'object' || v.metrics === null)
        throw new TrainError(`fit option validation.metrics must be an object of functions; got ${describeValue(v.metrics)}`);
      for (const [name, f] of Object.entries(v.metrics))
        if (typeof f !== 'function') throw new TrainError(`validation metric "${name}" must be a function; got ${describeValue(f)}`);
    }
  }
}

/** An epoch that yielded no batch: the loss (or val_loss) would be NaN and nothing trained (or measured). */
export function emptyEpochError(epoch: number, length: number | undefined, option = 'data'): TrainError {
  return new TrainError(
    `fit's ${option} yielded no batches in epoch ${epoch}${length === undefined ? '' : ` (its length is ${length})`}; expected at least one (an empty dataset, or a loader with dropLast and fewer samples than batchSize)`,
  );
}

/** A loss that returned something other than a tensor (a number cannot carry gradients). */
export function checkLossValue(out: unknown): void {
  if (typeof out !== 'object' || out === null || typeof (out as { rank?: unknown }).rank !== 'number')
    throw new TrainError(`loss returned ${describeValue(out)}; expected a scalar tf.Tensor computed with tf ops (so gradients can flow)`);
}
