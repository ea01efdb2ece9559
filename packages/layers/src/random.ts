import * as tf from '@tensorflow/tfjs-core';
import { checkSingleCopy } from './single-copy';

/**
 * The global generator behind default initialisation and dropout masks, PyTorch's
 * `torch.manual_seed` analogue. mulberry32: 32 bits of state, fast, and deterministic on every
 * backend because the numbers are drawn in JavaScript, not by a backend kernel.
 */
let state = 0x2f6b_4a1d;

/** Seeds the global generator; the same seed gives the same initial weights and dropout masks. */
export function manualSeed(seed: number): void {
  checkSingleCopy();
  if (!Number.isFinite(seed)) throw new RangeError(`manualSeed expects a finite number, got ${seed}`);
  state = Math.trunc(seed) >>> 0;
}

/** The generator's state, for checkpoints that must resume the same random stream. */
export function getRngState(): number {
  return state;
}

export function setRngState(s: number): void {
  state = s >>> 0;
}

/** Next uint32 from the generator (also usable as a seed for tf.random* ops). */
export function nextUint32(): number {
  state = (state + 0x6d2b_79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Uniform in [0, 1). */
export function nextFloat(): number {
  return nextUint32() / 4294967296;
}

/** A float32 tensor of uniform samples in [low, high). */
export function randUniform(shape: number[], low = 0, high = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const span = high - low;
  for (let i = 0; i < n; i++) data[i] = low + span * nextFloat();
  return tf.tensor(data, shape, 'float32');
}

/** A float32 tensor of standard normal samples (Box-Muller), e.g. for a VAE's reparameterisation noise. */
export function randNormal(shape: number[], mean = 0, std = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - nextFloat(); // (0, 1]: log never sees 0
    const u2 = nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    data[i] = mean + std * r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) data[i + 1] = mean + std * r * Math.sin(2 * Math.PI * u2);
  }
  return tf.tensor(data, shape, 'float32');
}
