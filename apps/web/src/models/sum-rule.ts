import type { Method } from '@logitlab/explain';

/**
 * What the sum of each method's map must equal (captum's completeness / convergence delta), said in
 * every caption and comparison row so a reader knows which sums to check and which mean nothing.
 * `should` is null where no value is required; `because` then says why.
 */
export const SUM_RULE: Record<Method, { should: string | null; because: string }> = {
  lrp: { should: 'f(x)', because: 'LRP redistributes the output, layer by layer' },
  integratedGradients: { should: 'f(x) − f(blank)', because: 'the path integral from the blank baseline to x' },
  gradient: { should: null, because: 'a slope, not a share of f' },
  sensitivity: { should: null, because: 'what would change f, not what made it' },
  gradientTimesInput: { should: null, because: "the biases' share of f is left out" },
  smoothGrad: { should: null, because: 'gradients averaged over noisy copies' },
  gradCam: { should: null, because: 'a coarse map of where conv2 found evidence' },
  occlusion: { should: null, because: "each patch's drop in f, and drops overlap" },
};

/** "Σ R = 11.20, should equal f(x) = 12.71" or "Σ R = 0.52 (no required value: a slope, not a share of f)". */
export function conservationLine(method: Method, total: number, should: number, digits = 2): string {
  const rule = SUM_RULE[method];
  const sum = `Σ R = ${total.toFixed(digits)}`;
  return rule.should === null
    ? `${sum} (no required value: ${rule.because})`
    : `${sum}, should equal ${rule.should} = ${should.toFixed(digits)}`;
}
