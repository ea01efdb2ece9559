/**
 * Relevance -> colours, the one colour map of the CLI's report figures and the web demo. Diverging,
 * white at zero (red = evidence for the output, blue = against), scaled by the largest magnitude so
 * every heatmap uses the full range; the same scheme as Montavon et al.'s figures.
 */

export type Rgb = readonly [number, number, number];

const WHITE: Rgb = [255, 255, 255];
const RED: Rgb = [200, 20, 30];
const DEEP_RED: Rgb = [103, 0, 13];
const BLUE: Rgb = [30, 80, 200];
const DEEP_BLUE: Rgb = [5, 30, 100];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  // `+ 0` turns Math.round's -0 into 0
  return [Math.round(a[0] + (b[0] - a[0]) * t) + 0, Math.round(a[1] + (b[1] - a[1]) * t) + 0, Math.round(a[2] + (b[2] - a[2]) * t) + 0];
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

/** 8-bit gray level of a value in [lo, hi] (lo black, hi white, clamped). */
export function grayLevel(value: number, lo = 0, hi = 1): number {
  const span = hi - lo || 1;
  return Math.round(Math.max(0, Math.min(1, (value - lo) / span)) * 255);
}

/** Grayscale RGBA of pixels in [lo, hi] (lo black, hi white), for showing images and decodings. */
export function grayRgba(values: ArrayLike<number>, [lo, hi]: readonly [number, number] = [0, 1]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = grayLevel(values[i] ?? lo, lo, hi);
    out[i * 4] = v;
    out[i * 4 + 1] = v;
    out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return out;
}
