import * as tf from '@tensorflow/tfjs-core';
import { DatasetInputError } from '../errors';
import { mixSeed, Rng } from '@logitlab/core';
import type { Transform } from './transforms';

export interface LoaderData {
  /** Inputs, sample-major: count * prod(xShape) values. Batches are float32. */
  x: Float32Array | Int32Array;
  /** Shape of one sample, e.g. [28, 28, 1]. */
  xShape: number[];
  /** Targets, count * prod(yShape) values. Batches keep the dtype: Int32Array -> int32, Float32Array -> float32. */
  y: Float32Array | Int32Array;
  /** Shape of one target; [] for a class index or a scalar. */
  yShape: number[];
}

export interface DataLoaderOptions {
  batchSize?: number;
  /** Shuffle the order every epoch (seeded). Default false. */
  shuffle?: boolean;
  /** Seed of the shuffling, an integer; epoch e uses a permutation derived from (seed, e). Default 0. */
  seed?: number;
  /** Drop the last batch when it is smaller than batchSize. Default false. */
  dropLast?: boolean;
  /** Applied to each x batch inside tf.tidy, e.g. normalize() or scaleTo(-1, 1). */
  transform?: Transform;
}

export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

function size(shape: number[], what: string): number {
  if (!Array.isArray(shape)) throw new DatasetInputError(`DataLoader: ${what} must be an array of dimensions, got ${String(shape)}`);
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d <= 0)
      throw new DatasetInputError(`DataLoader: ${what} must hold positive integers, got [${shape.join(', ')}]`);
    n *= d;
  }
  return n;
}

function checkArray(a: unknown, what: string): void {
  if (!(a instanceof Float32Array) && !(a instanceof Int32Array)) {
    const got = a === null || a === undefined ? String(a) : ((a as object).constructor?.name ?? typeof a);
    throw new DatasetInputError(`DataLoader: ${what} must be a Float32Array or Int32Array, got ${got}`);
  }
}

/**
 * Batches of (x, y) tensors over typed arrays, like torch.utils.data.DataLoader over a TensorDataset.
 * Each iteration (`for (const { x, y } of loader)`) is one epoch; the caller disposes every batch.
 * With shuffle, every epoch gets a new permutation that depends only on (seed, epoch): iterating again
 * moves to the next epoch, and setEpoch(n) selects an epoch explicitly (for resuming).
 */
export class DataLoader implements Iterable<Batch> {
  readonly count: number;
  readonly batchSize: number;
  private readonly xSize: number;
  private readonly ySize: number;
  private readonly shuffle: boolean;
  private readonly seed: number;
  private readonly dropLast: boolean;
  private readonly transform: Transform | undefined;
  private epoch = 0;

  constructor(
    private readonly data: LoaderData,
    options: DataLoaderOptions = {},
  ) {
    const { batchSize = 32, shuffle = false, seed = 0, dropLast = false, transform } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new DatasetInputError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    // NaN and fractions were truncated to an integer seed silently (NaN shuffled as seed 0)
    if (!Number.isSafeInteger(seed)) throw new DatasetInputError(`DataLoader: seed must be an integer, got ${seed}`);
    if (transform !== undefined && typeof transform !== 'function')
      throw new DatasetInputError(`DataLoader: transform must be a function of the x batch, got ${typeof transform}`);
    checkArray(data.x, 'x');
    checkArray(data.y, 'y');
    this.xSize = size(data.xShape, 'xShape');
    this.ySize = size(data.yShape, 'yShape');
    if (data.x.length % this.xSize !== 0) {
      throw new DatasetInputError(`DataLoader: x has ${data.x.length} values, not a multiple of prod(xShape) = ${this.xSize}`);
    }
    this.count = data.x.length / this.xSize;
    if (data.y.length !== this.count * this.ySize) {
      throw new DatasetInputError(
        `DataLoader: x holds ${this.count} samples but y has ${data.y.length} values (expected ${this.count} * ${this.ySize} = ${this.count * this.ySize})`,
      );
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    this.transform = transform;
  }

  /** Batches per epoch. */
  get length(): number {
    return this.dropLast ? Math.floor(this.count / this.batchSize) : Math.ceil(this.count / this.batchSize);
  }

  /** The epoch the next iteration will use. */
  get currentEpoch(): number {
    return this.epoch;
  }

  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0)
      throw new DatasetInputError(`DataLoader.setEpoch: expected a non-negative integer, got ${epoch}`);
    this.epoch = epoch;
  }

  /** Sample order of an epoch (identity without shuffle). */
  order(epoch: number): Int32Array {
    const order = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    if (this.shuffle) new Rng(mixSeed(this.seed, epoch)).shuffle(order);
    return order;
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const order = this.order(this.epoch);
    this.epoch++;
    const batches = this.length;
    const { x, y, xShape, yShape } = this.data;
    const yDtype = y instanceof Int32Array ? 'int32' : 'float32';
    for (let b = 0; b < batches; b++) {
      const start = b * this.batchSize;
      const n = Math.min(this.batchSize, this.count - start);
      const xb = new Float32Array(n * this.xSize);
      const yb = y instanceof Int32Array ? new Int32Array(n * this.ySize) : new Float32Array(n * this.ySize);
      for (let i = 0; i < n; i++) {
        const s = order[start + i] as number;
        xb.set(x.subarray(s * this.xSize, (s + 1) * this.xSize), i * this.xSize);
        yb.set(y.subarray(s * this.ySize, (s + 1) * this.ySize), i * this.ySize);
      }
      const transform = this.transform;
      const make = () => tf.tensor(xb, [n, ...xShape], 'float32');
      const xt = transform ? transformed(transform, make, n) : make();
      yield { x: xt, y: tf.tensor(yb, [n, ...yShape], yDtype) };
    }
  }
}

/**
 * Runs a transform on one x batch of `n` samples. Its output must still hold `n` samples: y is not
 * transformed, so a transform that drops or repeats samples would silently pair x with the wrong y.
 */
function transformed(transform: Transform, make: () => tf.Tensor, n: number): tf.Tensor {
  // the input is made inside the tidy, which frees it
  const out = tf.tidy(() => transform(make()));
  if (!(out instanceof tf.Tensor))
    throw new DatasetInputError(`DataLoader: transform returned ${out === null ? 'null' : typeof out}; expected a tensor`);
  if (out.shape[0] !== n) {
    const shape = out.shape;
    out.dispose();
    throw new DatasetInputError(
      `DataLoader: transform changed the batch size of x from ${n} to ${shape[0] ?? '(a scalar)'} (shape [${shape.join(', ')}]); expected ${n}, as y still has ${n} samples`,
    );
  }
  return out;
}
