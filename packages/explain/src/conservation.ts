// The conservation report every explanation carries (captum's convergence delta), from host values:
// explain reads the relevance synchronously, explainAsync asynchronously, and both build it here.
import { conservationError } from '@logitlab/metrics';

/** captum's convergence delta, per sample. */
export interface Conservation {
  /** sum of relevance. */
  total: Float32Array;
  /** What the sum should equal: the explained score, or score(x) - score(baseline) for integrated gradients. */
  output: Float32Array;
  /** total - output. */
  delta: Float32Array;
  /** |delta| / |output| (|delta| where output is 0). */
  relError: Float32Array;
}

export function conservationReport(relevance: ArrayLike<number>, reference: Float32Array): Conservation {
  const report = conservationError(relevance, reference);
  return {
    total: Float32Array.from(report.perImage, (e) => e.total),
    output: Float32Array.from(reference),
    delta: Float32Array.from(report.perImage, (e) => e.total - e.output),
    relError: Float32Array.from(report.perImage, (e) => e.relError),
  };
}
