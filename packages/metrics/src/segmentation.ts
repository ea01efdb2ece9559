import { MetricInputError } from './errors';
import { checkPositiveInt, type Numeric, predictedLabels, values } from './input';

export interface SegmentationOptions {
  numClasses: number;
  /** Target value to skip (for example 255 for "void" pixels); those pixels count nowhere. */
  ignoreIndex?: number;
}

export interface SegmentationReport {
  /**
   * Intersection over union per class, TP / (TP + FP + FN). `null` for a class absent from both
   * prediction and target (0/0), as NaN in mmsegmentation / torchvision's references.
   */
  perClassIoU: Array<number | null>;
  /** Mean of the non-null per-class IoUs (np.nanmean), so absent classes neither help nor hurt. */
  meanIoU: number;
  /** Fraction of (non-ignored) pixels labelled correctly. */
  pixelAccuracy: number;
}

/**
 * Segmentation metrics over all pixels of all images together (one confusion matrix, as the
 * standard benchmarks compute them, not a mean of per-image scores).
 * `pred` is per-pixel class indices (same length as `target`) or per-pixel scores with the class
 * axis last ([N, H, W, C] flattened: NHWC, the layout of our models' logits).
 */
export function segmentationReport(pred: Numeric, target: Numeric, options: SegmentationOptions): SegmentationReport {
  const { numClasses, ignoreIndex } = options;
  checkPositiveInt(numClasses, 'numClasses');
  const t = values(target, 'target');
  const p = predictedLabels(pred, t.length);
  if (t.length === 0) throw new MetricInputError('segmentation metrics of 0 pixels are undefined; got empty targets');
  const confusion = new Float64Array(numClasses * numClasses);
  let counted = 0;
  for (let i = 0; i < t.length; i++) {
    const ti = t[i] as number;
    if (ti === ignoreIndex) continue;
    const pi = p[i] as number;
    if (!(Number.isInteger(ti) && ti >= 0 && ti < numClasses)) {
      throw new MetricInputError(`target[${i}] = ${ti}; expected a class in [0, ${numClasses}) or ignoreIndex`);
    }
    if (!(Number.isInteger(pi) && pi >= 0 && pi < numClasses)) {
      throw new MetricInputError(`predictions[${i}] = ${pi}; expected a class in [0, ${numClasses})`);
    }
    confusion[ti * numClasses + pi]! += 1;
    counted++;
  }
  const perClassIoU: Array<number | null> = [];
  let correct = 0;
  let sum = 0;
  let present = 0;
  for (let c = 0; c < numClasses; c++) {
    const tp = confusion[c * numClasses + c] as number;
    let rowSum = 0;
    let colSum = 0;
    for (let k = 0; k < numClasses; k++) {
      rowSum += confusion[c * numClasses + k] as number;
      colSum += confusion[k * numClasses + c] as number;
    }
    const union = rowSum + colSum - tp;
    correct += tp;
    if (union === 0) {
      perClassIoU.push(null);
    } else {
      perClassIoU.push(tp / union);
      sum += tp / union;
      present++;
    }
  }
  return {
    perClassIoU,
    meanIoU: present ? sum / present : Number.NaN,
    pixelAccuracy: counted ? correct / counted : Number.NaN,
  };
}

export function meanIoU(pred: Numeric, target: Numeric, options: SegmentationOptions): number {
  return segmentationReport(pred, target, options).meanIoU;
}

export function pixelAccuracy(pred: Numeric, target: Numeric, options: SegmentationOptions): number {
  return segmentationReport(pred, target, options).pixelAccuracy;
}
