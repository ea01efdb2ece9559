/**
 * "Is this input like the training data?", measured three ways against numbers that
 * scripts/make-ood.mjs took from the training digits (public/weights/ood.json):
 * - ink: a digit's pixel mass (sum of [0, 1] pixels) against the training digits' 0.5-99.5% range,
 *   so a blank pad or a lone dot is named as such;
 * - distance: the penultimate layer's features against a reference set of training inputs' features,
 *   beyond the distance 99% of held-out inputs stay within;
 * - reliability (Explain): how often held-out answers at about this f(x) were right.
 * Each check returns a sentence naming the numbers, or null when the input passes it.
 */

/** The 0.5% and 99.5% quantiles of a training digit's ink. */
export interface InkRange {
  low: number;
  high: number;
}

/** Held-out answers in bins of f(x): below edges[0], [edges[i], edges[i + 1]), at or above the last edge. */
export interface Reliability {
  edges: readonly number[];
  n: readonly number[];
  right: readonly number[];
}

/** Sum of the pixels of a `width` x `height` window at (x, y) of an image `stride` pixels wide. */
export function inkMass(
  pixels: ArrayLike<number>,
  window: { x?: number; y?: number; width?: number; height?: number; stride?: number } = {},
): number {
  const { x = 0, y = 0, width = 28, height = 28 } = window;
  const stride = window.stride ?? width;
  let m = 0;
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) m += pixels[(y + r) * stride + x + c] ?? 0;
  return m;
}

export function inkFinding(mass: number, ink: InkRange, where: string): string | null {
  const range = `training digits hold ${ink.low.toFixed(0)}–${ink.high.toFixed(0)}`;
  if (mass < ink.low) return `${where} holds ${mass < 1 ? 'no' : 'almost no'} ink (${mass.toFixed(0)}; ${range})`;
  if (mass > ink.high) return `${where} holds more ink than a training digit (${mass.toFixed(0)}; ${range})`;
  return null;
}

/** Euclidean distance from `feature` to the nearest of the `reference` rows (each `feature.length` long). */
export function nearestDistance(feature: ArrayLike<number>, reference: ArrayLike<number>): number {
  const d = feature.length;
  let best = Infinity;
  for (let j = 0; j + d <= reference.length; j += d) {
    let s = 0;
    for (let k = 0; k < d && s < best; k++) s += ((feature[k] ?? 0) - (reference[j + k] ?? 0)) ** 2;
    best = Math.min(best, s);
  }
  return Math.sqrt(best);
}

export function distanceFinding(distance: number, threshold: number, layer: string): string | null {
  if (!(distance > threshold)) return null;
  return `its ${layer} features lie ${distance.toFixed(1)} from the nearest training input; 99% of held-out inputs lie within ${threshold.toFixed(1)}`;
}

/** The bin of f among the held-out answers: its bounds and how many of its answers were right. */
export function reliabilityAt(f: number, r: Reliability): { from: number | null; to: number | null; n: number; right: number } {
  const i = r.edges.filter((e) => f >= e).length;
  return { from: r.edges[i - 1] ?? null, to: r.edges[i] ?? null, n: r.n[i] ?? 0, right: r.right[i] ?? 0 };
}

/**
 * Null when at least `minShare` of the held-out answers in f's bin were right; else the sentence
 * (an answer near the decision threshold is a coin toss, however confident "yes" or "no" sounds).
 */
export function reliabilityFinding(f: number, r: Reliability, minShare = 0.9): string | null {
  const bin = reliabilityAt(f, r);
  const where = bin.from === null ? `below ${bin.to}` : bin.to === null ? `of ${bin.from} or more` : `in ${bin.from}–${bin.to}`;
  if (bin.n === 0) return `no held-out pair had f(x) ${where}`;
  if (bin.right / bin.n >= minShare) return null;
  return `held-out pairs with f(x) ${where} were answered right ${Math.round((bin.right / bin.n) * 100)}% of the time (${bin.right} of ${bin.n})`;
}
