import { MetricInputError } from './errors';
import { checkPositiveInt, checkSameLength, type Numeric, safeDiv, values } from './input';
import type { ClassScores } from './classification';

export interface MultiLabelOptions {
  /** Labels per sample (row length of the row-major [N, L] inputs). */
  numLabels: number;
  /**
   * A prediction counts as positive when `pred >= threshold`. Default 0.5 (probabilities or 0/1);
   * use 0 for logits. Targets are positive when > 0.5.
   */
  threshold?: number;
}

export interface MultiLabelReport {
  /** Fraction of (sample, label) pairs predicted wrongly (sklearn hamming_loss). */
  hammingLoss: number;
  /** Fraction of samples whose whole label set is right (sklearn accuracy_score on multi-label input). */
  subsetAccuracy: number;
  perLabel: ClassScores[];
  /** Unweighted mean of per-label F1 (sklearn f1_score average='macro'). */
  macroF1: number;
}

function binarize(
  pred: Numeric,
  target: Numeric,
  { numLabels, threshold = 0.5 }: MultiLabelOptions,
): { p: Uint8Array; t: Uint8Array; n: number } {
  checkPositiveInt(numLabels, 'numLabels');
  const pv = values(pred, 'predictions');
  const tv = values(target, 'target');
  checkSameLength(pv, tv, ['predictions', 'target']);
  if (tv.length % numLabels !== 0) {
    throw new MetricInputError(`target has ${tv.length} values, not a multiple of numLabels = ${numLabels}`);
  }
  const p = new Uint8Array(pv.length);
  const t = new Uint8Array(tv.length);
  for (let i = 0; i < pv.length; i++) {
    p[i] = (pv[i] as number) >= threshold ? 1 : 0;
    t[i] = (tv[i] as number) > 0.5 ? 1 : 0;
  }
  return { p, t, n: tv.length / numLabels };
}

export function hammingLoss(pred: Numeric, target: Numeric, options: MultiLabelOptions): number {
  return multiLabelReport(pred, target, options).hammingLoss;
}

export function subsetAccuracy(pred: Numeric, target: Numeric, options: MultiLabelOptions): number {
  return multiLabelReport(pred, target, options).subsetAccuracy;
}

/** Hamming loss, subset accuracy and per-label precision / recall / F1 (0/0 counts as 0, as sklearn's zero_division=0). */
export function multiLabelReport(pred: Numeric, target: Numeric, options: MultiLabelOptions): MultiLabelReport {
  const { p, t, n } = binarize(pred, target, options);
  const L = options.numLabels;
  if (n === 0) throw new MetricInputError('multi-label metrics of 0 samples are undefined; got empty targets');
  let wrong = 0;
  let exact = 0;
  const tp = new Float64Array(L);
  const fp = new Float64Array(L);
  const fn = new Float64Array(L);
  for (let i = 0; i < n; i++) {
    let rowWrong = 0;
    for (let l = 0; l < L; l++) {
      const pi = p[i * L + l] as number;
      const ti = t[i * L + l] as number;
      if (pi !== ti) rowWrong++;
      if (pi && ti) tp[l]! += 1;
      else if (pi) fp[l]! += 1;
      else if (ti) fn[l]! += 1;
    }
    wrong += rowWrong;
    if (rowWrong === 0) exact++;
  }
  const perLabel: ClassScores[] = [];
  for (let l = 0; l < L; l++) {
    const a = tp[l] as number;
    const precision = safeDiv(a, a + (fp[l] as number));
    const recall = safeDiv(a, a + (fn[l] as number));
    perLabel.push({ precision, recall, f1: safeDiv(2 * precision * recall, precision + recall), support: a + (fn[l] as number) });
  }
  return {
    hammingLoss: wrong / (n * L),
    subsetAccuracy: exact / n,
    perLabel,
    macroF1: perLabel.reduce((a, s) => a + s.f1, 0) / L,
  };
}
