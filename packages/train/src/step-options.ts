// The per-step options as plain types, apart from step.ts so training-state.ts can name them without an
// import cycle (step.ts -> types.ts -> training-state.ts -> step.ts).
import { TrainError } from './errors';

/** Gradient clipping, applied to the (accumulated) gradients before the optimiser step. */
export interface GradClip {
  /** Scales all gradients together so their joint 2-norm is at most this (torch.nn.utils.clip_grad_norm_). */
  maxNorm?: number;
  /** Clamps every gradient element to [-value, value] (torch.nn.utils.clip_grad_value_); applied before maxNorm. */
  value?: number;
}

/**
 * Weight decay. 'l2' adds `value * w` to each gradient before the step (PyTorch's `weight_decay` of
 * SGD and Adam); 'decoupled' shrinks each weight by `lr * value` before the step, outside the
 * adaptive update (AdamW, Loshchilov & Hutter). Applies to every trainable variable, biases included,
 * as PyTorch does with a single parameter group.
 */
export interface WeightDecay {
  value: number;
  mode: 'l2' | 'decoupled';
}

function positive(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new TrainError(`${name} must be a positive finite number; got ${v}`);
}

/** Checks the per-step options once (typed errors naming the value). */
export function checkStepOptions(o: { gradClip?: GradClip; weightDecay?: WeightDecay; accumulateSteps?: number }): void {
  positive('gradClip.maxNorm', o.gradClip?.maxNorm);
  positive('gradClip.value', o.gradClip?.value);
  if (o.weightDecay) {
    const { value, mode } = o.weightDecay;
    if (!(Number.isFinite(value) && value >= 0))
      throw new TrainError(`weightDecay.value must be a non-negative finite number; got ${value}`);
    if (mode !== 'l2' && mode !== 'decoupled') throw new TrainError(`weightDecay.mode must be 'l2' or 'decoupled'; got ${String(mode)}`);
  }
  const k = o.accumulateSteps;
  if (k !== undefined && !(Number.isInteger(k) && k >= 1)) throw new TrainError(`accumulateSteps must be a positive integer; got ${k}`);
}
