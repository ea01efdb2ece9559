// The colour maps are @logitlab/metrics' (one ramp for the CLI's figures and the demo).
import { maxAbs } from '@logitlab/metrics';

export { divergingColor, grayRgba, heatmapRgba, maxAbs, type Rgb } from '@logitlab/metrics';

/** Number of pixels whose |relevance| exceeds `fraction` of the maximum: "is the heatmap empty?". */
export function litPixels(values: ArrayLike<number>, fraction = 0.05): number {
  const m = maxAbs(values);
  if (m === 0) return 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i] ?? 0) > fraction * m) n++;
  return n;
}
