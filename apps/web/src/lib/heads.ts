import type { ConvNetHead } from '@logitlab/models';

/** The one-line lesson each head teaches (issue 1 of the seed: which output goes with which loss). */
export const LESSONS: Record<ConvNetHead, { title: string; loss: string; lesson: string; range: string }> = {
  logits: {
    title: 'logits',
    loss: 'crossEntropy',
    lesson: 'Raw scores. crossEntropy applies log-softmax itself, stably: the right pairing.',
    range: 'any real number; only differences matter',
  },
  logSoftmax: {
    title: 'logSoftmax',
    loss: 'nllLoss',
    lesson: 'Log-probabilities: exactly what nllLoss expects. The same model as logits + crossEntropy.',
    range: '≤ 0; exp(values) sums to 1',
  },
  softmax: {
    title: 'softmax',
    loss: 'nllLoss',
    lesson: 'Probabilities into nllLoss minimise −p, not −log p: tiny gradients once wrong, training stalls.',
    range: '[0, 1]; sums to 1',
  },
  sigmoid: {
    title: 'sigmoid',
    loss: 'nllLoss',
    lesson: 'Ten independent 0–1 scores: no competition between classes, and −p is not a proper loss.',
    range: '[0, 1] each; the sum means nothing',
  },
};

/** Index of the largest value (the prediction for every head: all four are monotone in the logits). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}

/**
 * Bar lengths in [0, 1] for a head's outputs: heads with a fixed range use it ([0, 1] for
 * probabilities), unbounded ones (logits, log-probabilities) are scaled between their min and max.
 */
export function barLengths(head: ConvNetHead, values: ArrayLike<number>): number[] {
  const v = Array.from(values);
  if (head === 'softmax' || head === 'sigmoid') return v.map((x) => Math.max(0, Math.min(1, x)));
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return v.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0));
}

/** A head-specific summary line: what the ten outputs add up to. */
export function sumLine(head: ConvNetHead, values: ArrayLike<number>): string {
  const v = Array.from(values);
  const sum = v.reduce((a, b) => a + b, 0);
  if (head === 'logSoftmax') return `Σ exp = ${v.reduce((a, b) => a + Math.exp(b), 0).toFixed(3)}`;
  if (head === 'logits') return `max − min = ${(Math.max(...v) - Math.min(...v)).toFixed(2)}`;
  return `Σ = ${sum.toFixed(3)}`;
}
