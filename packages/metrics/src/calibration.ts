import { MetricInputError } from './errors';
import { checkPositiveInt, type Numeric, values } from './input';

export interface CalibrationBin {
  /** Bin interval (lower, upper]; the first bin also takes confidence 0. */
  lower: number;
  upper: number;
  count: number;
  /** Mean top-class probability of the samples in the bin (NaN when empty). */
  meanConfidence: number;
  /** Fraction of those samples classified correctly (NaN when empty). */
  accuracy: number;
}

export interface CalibrationResult {
  /** Expected calibration error: sum over bins of count/N x |accuracy - meanConfidence|. */
  ece: number;
  /** Largest |accuracy - meanConfidence| over non-empty bins. */
  mce: number;
  /** The reliability-diagram table. */
  bins: CalibrationBin[];
}

export interface CalibrationOptions {
  /** Number of equal-width confidence bins over [0, 1]. Default 15 (Guo et al. 2017). */
  numBins?: number;
}

/**
 * Expected calibration error (Guo et al. 2017) with its reliability-diagram table.
 * `probs` holds class PROBABILITIES, row-major [N, C] (softmax outputs, not logits or
 * log-probabilities: values outside [0, 1] are rejected because they point to that mistake).
 * Confidence is the top-class probability; bins are (lower, upper] as in Guo et al.'s code.
 */
export function expectedCalibrationError(probs: Numeric, target: Numeric, options: CalibrationOptions = {}): CalibrationResult {
  const numBins = options.numBins ?? 15;
  checkPositiveInt(numBins, 'numBins');
  const t = values(target, 'target');
  const p = values(probs, 'probs');
  const n = t.length;
  if (n === 0 || p.length % n !== 0 || p.length === n) {
    throw new MetricInputError(
      `probs have ${p.length} values for ${n} targets; expected N x numClasses probabilities with numClasses >= 2`,
    );
  }
  const c = p.length / n;
  const count = new Float64Array(numBins);
  const confSum = new Float64Array(numBins);
  const correctSum = new Float64Array(numBins);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let conf = -Infinity;
    for (let k = 0; k < c; k++) {
      const v = p[i * c + k] as number;
      if (!(v >= 0 && v <= 1)) {
        throw new MetricInputError(`probs[${i}, ${k}] = ${v}; expected a probability in [0, 1] (pass softmax outputs, not logits)`);
      }
      if (v > conf) {
        conf = v;
        best = k;
      }
    }
    // (lower, upper] bins: ceil(conf * B) - 1, with conf = 0 falling into the first bin.
    let b = Math.min(numBins - 1, Math.max(0, Math.ceil(conf * numBins) - 1));
    // conf * B can land one ulp off a boundary (0.6 * 5 = 3.0000000000000004): compare with the edges themselves.
    if (b > 0 && conf <= b / numBins) b--;
    else if (b < numBins - 1 && conf > (b + 1) / numBins) b++;
    count[b]! += 1;
    confSum[b]! += conf;
    if (best === t[i]) correctSum[b]! += 1;
  }
  const bins: CalibrationBin[] = [];
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < numBins; b++) {
    const k = count[b] as number;
    const meanConfidence = k ? (confSum[b] as number) / k : Number.NaN;
    const acc = k ? (correctSum[b] as number) / k : Number.NaN;
    if (k) {
      const gap = Math.abs(acc - meanConfidence);
      ece += (k / n) * gap;
      mce = Math.max(mce, gap);
    }
    bins.push({ lower: b / numBins, upper: (b + 1) / numBins, count: k, meanConfidence, accuracy: acc });
  }
  return { ece, mce, bins };
}
