import { MetricInputError } from './errors';
import { checkLabels, inferNumClasses, type Numeric, predictedLabels, safeDiv, values } from './input';

export interface ClassOptions {
  /** Number of classes; inferred as 1 + the largest label in predictions or targets when omitted. */
  numClasses?: number;
}

/**
 * Fraction of samples whose predicted class equals the target.
 * `pred` is class indices (length N) or scores/probabilities/logits (length N x C, class axis last).
 */
export function accuracy(pred: Numeric, target: Numeric): number {
  const t = values(target, 'target');
  const p = predictedLabels(pred, t.length);
  if (t.length === 0) throw new MetricInputError('accuracy of 0 samples is undefined; got empty targets');
  let correct = 0;
  for (let i = 0; i < t.length; i++) if (p[i] === t[i]) correct++;
  return correct / t.length;
}

/**
 * Confusion matrix with sklearn's convention: `matrix[trueClass][predictedClass]` counts samples.
 */
export function confusionMatrix(pred: Numeric, target: Numeric, options: ClassOptions = {}): number[][] {
  const t = values(target, 'target');
  const p = predictedLabels(pred, t.length);
  const numClasses = options.numClasses ?? inferNumClasses(p, t);
  checkLabels(t, numClasses, 'target');
  checkLabels(p, numClasses, 'predictions');
  const m = Array.from({ length: numClasses }, () => Array.from({ length: numClasses }, () => 0));
  for (let i = 0; i < t.length; i++) (m[t[i] as number] as number[])[p[i] as number]! += 1;
  return m;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Number of samples whose target is this class. */
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  perClass: ClassScores[];
  /** Unweighted means over classes (sklearn's average='macro'), every class counted even with no support. */
  macro: { precision: number; recall: number; f1: number };
  confusion: number[][];
}

/**
 * Per-class precision, recall and F1 plus macro averages, computed from the confusion matrix.
 * A 0/0 ratio (a class never predicted, or absent) is 0, as sklearn's zero_division=0.
 */
export function classificationReport(pred: Numeric, target: Numeric, options: ClassOptions = {}): ClassificationReport {
  const confusion = confusionMatrix(pred, target, options);
  const n = confusion.length;
  const perClass: ClassScores[] = [];
  let total = 0;
  let correct = 0;
  for (let c = 0; c < n; c++) {
    const row = confusion[c] as number[];
    const tp = row[c] as number;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + (r[c] as number), 0);
    const precision = safeDiv(tp, predicted);
    const recall = safeDiv(tp, support);
    perClass.push({ precision, recall, f1: safeDiv(2 * precision * recall, precision + recall), support });
    total += support;
    correct += tp;
  }
  const mean = (k: keyof ClassScores) =>
    safeDiv(
      perClass.reduce((a, s) => a + s[k], 0),
      n,
    );
  return {
    accuracy: safeDiv(correct, total),
    perClass,
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    confusion,
  };
}
