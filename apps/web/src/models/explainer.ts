import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';

/**
 * The one place the pages ask "why this output?", so moving to @logitlab/explain (LRP composites on
 * any Module) is a change to this file only. Until that package lands, the gradient family runs
 * here on tf.grad, which needs nothing but the model's forward pass.
 */
export const METHODS = ['gradient', 'gradientTimesInput', 'integratedGradients'] as const;
export type Method = (typeof METHODS)[number];

export const METHOD_LABELS: Record<Method, string> = {
  gradient: 'gradient ∂y/∂x',
  gradientTimesInput: 'gradient × input',
  integratedGradients: 'integrated gradients (16 steps)',
};

/** LRP composites offered once @logitlab/explain is available (empty until then). */
export const COMPOSITES: readonly string[] = [];

export interface ExplainRequest {
  method: Method;
  /** Output index to explain. */
  target: number;
  /** Input that means "no evidence" (integrated gradients' baseline), in the model's coding. */
  baseline?: number;
  composite?: string;
  /** The input's range in the model's coding (LRP's zB box; unused by the gradient methods). */
  bounds?: readonly [number, number];
}

/** Relevance of each input value for output `target` (same length as x). */
export async function explainOutput(model: Module, x: tf.Tensor, req: ExplainRequest): Promise<Float32Array> {
  const out = tf.tidy(() => {
    const f = (input: tf.Tensor): tf.Scalar => tf.sum(tf.slice(model.call(input) as tf.Tensor, [0, req.target], [1, 1])) as tf.Scalar;
    const grad = tf.grad(f);
    if (req.method === 'gradient') return grad(x);
    if (req.method === 'gradientTimesInput') return tf.mul(grad(x), x);
    // Integrated gradients: (x - x0) times the mean gradient along the straight path from x0 to x.
    const steps = 16;
    const base = tf.fill(x.shape, req.baseline ?? 0);
    const diff = tf.sub(x, base);
    let sum = tf.zerosLike(x);
    for (let k = 1; k <= steps; k++) sum = tf.add(sum, grad(tf.add(base, tf.mul(diff, (k - 0.5) / steps))));
    return tf.mul(diff, tf.div(sum, steps));
  });
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}
