// The per-step options as plain types, apart from step.ts so training-state.ts can name them without an
// import cycle (step.ts -> types.ts -> training-state.ts -> step.ts).

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
