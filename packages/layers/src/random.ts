import * as tf from '@tensorflow/tfjs-core';
import { announceHostDraw, Rng, type HostDrawRefill } from '@logitlab/core';
import { checkSingleCopy } from './single-copy';

/**
 * The global generator behind default initialisation and dropout masks, PyTorch's
 * `torch.manual_seed` analogue: one @logitlab/core Rng, so its numbers are drawn in JavaScript and
 * are the same on every backend.
 */
const generator = new Rng(0x2f6b_4a1d);

/** Seeds the global generator; the same seed gives the same initial weights and dropout masks. */
export function manualSeed(seed: number): void {
  checkSingleCopy();
  if (!Number.isFinite(seed)) throw new RangeError(`manualSeed expects a finite number, got ${seed}`);
  generator.state = Math.trunc(seed);
}

/** The generator's state, for checkpoints that must resume the same random stream. */
export function getRngState(): number {
  return generator.state;
}

export function setRngState(s: number): void {
  generator.state = s;
}

/** Next uint32 from the generator (also usable as a seed for tf.random* ops). */
export function nextUint32(): number {
  return generator.nextUint32();
}

/** Uniform in [0, 1). */
export function nextFloat(): number {
  return generator.next();
}

/**
 * A float32 tensor filled on the host from the generator, announced as a host draw so that a compiled
 * step redraws it on every replay instead of baking this step's values in.
 */
function drawn(shape: number[], refill: HostDrawRefill): tf.Tensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  refill(data);
  const t = tf.tensor(data, shape, 'float32');
  announceHostDraw(t, refill);
  return t;
}

/** A float32 tensor of uniform samples in [low, high). */
export function randUniform(shape: number[], low = 0, high = 1): tf.Tensor {
  return drawn(shape, (data) => generator.fillUniform(data, low, high));
}

/**
 * Dropout's scaled keep mask, 1 / (1 - p) where a uniform draw is >= p and 0 elsewhere: the same draws
 * and float32 comparisons as `randUniform(shape) >= p` scaled on the backend, built here in one pass
 * (three kernels fewer a dropout layer, and a cheaper gradient).
 */
export function dropoutMask(shape: number[], p: number): tf.Tensor {
  const scale = Math.fround(1 / (1 - p));
  return drawn(shape, (data) => generator.fillMask(data, p, scale));
}

/** A float32 tensor of standard normal samples (Box-Muller), e.g. for a VAE's reparameterisation noise. */
export function randNormal(shape: number[], mean = 0, std = 1): tf.Tensor {
  return drawn(shape, (data) => generator.fillNormal(data, mean, std));
}
