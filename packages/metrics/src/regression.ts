import { MetricInputError } from './errors';
import { checkPositiveInt, checkSameLength, type Numeric, values } from './input';

function pair(pred: Numeric, target: Numeric): [ArrayLike<number>, ArrayLike<number>] {
  const p = values(pred, 'predictions');
  const t = values(target, 'target');
  checkSameLength(p, t, ['predictions', 'target']);
  if (t.length === 0) throw new MetricInputError('error of 0 values is undefined; got empty inputs');
  return [p, t];
}

/** Mean squared error over every element (float64 accumulation). */
export function mse(pred: Numeric, target: Numeric): number {
  const [p, t] = pair(pred, target);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += ((p[i] as number) - (t[i] as number)) ** 2;
  return s / t.length;
}

/** Mean absolute error over every element. */
export function mae(pred: Numeric, target: Numeric): number {
  const [p, t] = pair(pred, target);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += Math.abs((p[i] as number) - (t[i] as number));
  return s / t.length;
}

export interface ReconstructionOptions {
  /** Number of samples; the inputs are row-major [count, ...]. */
  count: number;
  /** 'mse' (mean over a sample's elements, default), 'sse' (sum, what a VAE's loss uses) or 'mae'. */
  reduction?: 'mse' | 'sse' | 'mae';
}

/** Reconstruction error of each sample (one number per row). */
export function reconstructionError(recon: Numeric, target: Numeric, options: ReconstructionOptions): Float64Array {
  const { count, reduction = 'mse' } = options;
  checkPositiveInt(count, 'count');
  const [p, t] = pair(recon, target);
  if (t.length % count !== 0) throw new MetricInputError(`inputs have ${t.length} values, not a multiple of count = ${count}`);
  const d = t.length / count;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let j = i * d; j < (i + 1) * d; j++) {
      const e = (p[j] as number) - (t[j] as number);
      s += reduction === 'mae' ? Math.abs(e) : e * e;
    }
    out[i] = reduction === 'sse' ? s : s / d;
  }
  return out;
}
