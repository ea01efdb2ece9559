// The colour maps are @logitlab/metrics' (one ramp for the CLI's figures and the demo).
import { grayRgba, heatmapRgba, maxAbs } from '@logitlab/metrics';

export { divergingColor, grayRgba, heatmapRgba, maxAbs, type Rgb } from '@logitlab/metrics';

/** Number of pixels whose |relevance| exceeds `fraction` of the maximum: "is the heatmap empty?". */
export function litPixels(values: ArrayLike<number>, fraction = 0.05): number {
  const m = maxAbs(values);
  if (m === 0) return 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i] ?? 0) > fraction * m) n++;
  return n;
}

/**
 * The heatmap laid over the input: each pixel mixes the input's gray (lo black, hi white) with its
 * relevance colour, `opacity` 0 showing only the input and 1 only the heatmap. `scale` is the
 * symmetric colour scale (|R| at which colours saturate), shared with the legend.
 */
export function overlayRgba(
  input: ArrayLike<number>,
  relevance: ArrayLike<number>,
  scale: number,
  opacity: number,
  [lo, hi]: readonly [number, number] = [0, 1],
): Uint8ClampedArray {
  const gray = grayRgba(input, [lo, hi]);
  const heat = heatmapRgba(relevance, scale);
  const a = Math.max(0, Math.min(1, opacity));
  const out = new Uint8ClampedArray(gray.length);
  for (let i = 0; i < gray.length; i++) out[i] = (i & 3) === 3 ? 255 : Math.round((gray[i] ?? 0) * (1 - a) + (heat[i] ?? 0) * a);
  return out;
}

/** Shares of positive relevance mass on the left and right halves of a [h, w] map (sum to 1, or 0 and 0). */
export function halfShares(values: ArrayLike<number>, width: number): { left: number; right: number } {
  let left = 0;
  let right = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.max(0, values[i] ?? 0);
    if (i % width < width / 2) left += v;
    else right += v;
  }
  const total = left + right;
  return total > 0 ? { left: left / total, right: right / total } : { left: 0, right: 0 };
}
