/**
 * Relevance -> colours. Diverging map with white at zero (red = evidence for the output, blue =
 * against), scaled by the largest magnitude so every heatmap uses the full range; the same scheme
 * as Montavon et al.'s figures.
 */

export type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
const RED: Rgb = [200, 20, 30];
const DEEP_RED: Rgb = [103, 0, 13];
const BLUE: Rgb = [30, 80, 200];
const DEEP_BLUE: Rgb = [5, 30, 100];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  // `+ 0` turns Math.round's -0 into 0
  return [
    Math.round(a[0] + (b[0] - a[0]) * t) + 0,
    Math.round(a[1] + (b[1] - a[1]) * t) + 0,
    Math.round(a[2] + (b[2] - a[2]) * t) + 0,
  ];
}

/** Colour of a value already scaled to [-1, 1] (values outside are clamped). */
export function divergingColor(t: number): Rgb {
  const c = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const [near, far] = c >= 0 ? [RED, DEEP_RED] : [BLUE, DEEP_BLUE];
  const a = Math.abs(c);
  return a < 0.7 ? mix(WHITE, near, a / 0.7) : mix(near, far, (a - 0.7) / 0.3);
}

/** Largest |value| (0 for an all-zero or empty map). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i] ?? 0);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

/**
 * RGBA pixels (for `ImageData`) of a relevance map. `scale` defaults to max |R|; an all-zero map is
 * white rather than NaN-coloured.
 */
export function heatmapRgba(values: ArrayLike<number>, scale = maxAbs(values)): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  const inv = scale > 0 ? 1 / scale : 0;
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = divergingColor((values[i] ?? 0) * inv);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Grayscale RGBA of pixels in [lo, hi] (lo black, hi white), for showing images and decodings. */
export function grayRgba(values: ArrayLike<number>, [lo, hi]: readonly [number, number] = [0, 1]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  const span = hi - lo || 1;
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(Math.max(0, Math.min(1, ((values[i] ?? lo) - lo) / span)) * 255);
    out[i * 4] = v;
    out[i * 4 + 1] = v;
    out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return out;
}

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
export function overlayRgba(input: ArrayLike<number>, relevance: ArrayLike<number>, scale: number, opacity: number, [lo, hi]: readonly [number, number] = [0, 1]): Uint8ClampedArray {
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
