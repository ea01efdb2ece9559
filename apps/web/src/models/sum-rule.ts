import { attributionMethod, type Conserves, type Method } from '@logitlab/explain';

/** What a sum must equal, by the method's registered conservation (the registry's `conserves`). */
const SHOULD: Readonly<Record<Conserves, string | null>> = {
  score: 'f(x)',
  scoreDifference: 'f(x) − f(blank)',
  none: null,
};

/** Why each built-in method's sum means what it does; a method registered later falls back to its summary. */
const BECAUSE: Readonly<Record<string, string>> = {
  lrp: 'LRP redistributes the output, layer by layer',
  integratedGradients: 'the path integral from the blank baseline to x',
  gradient: 'a slope, not a share of f',
  sensitivity: 'what would change f, not what made it',
  gradientTimesInput: "the biases' share of f is left out",
  smoothGrad: 'gradients averaged over noisy copies',
  gradCam: 'a coarse map of where conv2 found evidence',
  occlusion: "each patch's drop in f, and drops overlap",
};

/**
 * What the sum of a method's map must equal (captum's completeness / convergence delta), said in
 * every caption and comparison row so a reader knows which sums to check and which mean nothing.
 * `should` is null where no value is required; `because` then says why.
 */
export function sumRule(method: Method): { should: string | null; because: string } {
  const entry = attributionMethod(method);
  return { should: SHOULD[entry.conserves], because: BECAUSE[method] ?? entry.summary };
}

/** "Σ R = 11.20, should equal f(x) = 12.71" or "Σ R = 0.52 (no required value: a slope, not a share of f)". */
export function conservationLine(method: Method, total: number, should: number, digits = 2): string {
  const rule = sumRule(method);
  const sum = `Σ R = ${total.toFixed(digits)}`;
  return rule.should === null
    ? `${sum} (no required value: ${rule.because})`
    : `${sum}, should equal ${rule.should} = ${should.toFixed(digits)}`;
}
