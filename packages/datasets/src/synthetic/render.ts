import type { Rng } from '@logitlab/core';
import type { Glyph } from './glyphs';

export const SIZE = 28;
const CENTRE = SIZE / 2;

/** Reusable buffers so rendering allocates nothing per image. */
export interface Scratch {
  xs: Float64Array;
  ys: Float64Array;
  blur: Float32Array;
}

export function makeScratch(): Scratch {
  return { xs: new Float64Array(256), ys: new Float64Array(256), blur: new Float32Array(SIZE * SIZE) };
}

/**
 * Draws one glyph into out[offset .. offset + 784) as white-on-black in [0, 1]:
 * random affine (rotation, shear, aspect), a smooth wobble, then scaled so the digit fills a ~20x20
 * box centred in 28x28 (how MNIST was normalised), stroked with an antialiased round pen, optionally
 * blurred, plus a little noise.
 */
export function renderGlyph(glyph: Glyph, rng: Rng, out: Float32Array, offset: number, scratch: Scratch): void {
  const rot = Math.max(-0.35, Math.min(0.35, rng.normal() * 0.15));
  // MNIST writers mostly slant to the right: negative shear moves the top of the glyph right
  const shear = Math.max(-0.45, Math.min(0.3, rng.normal() * 0.15 - 0.08));
  const sx = rng.uniform(0.6, 1.25);
  const sy = rng.uniform(0.92, 1.08);
  // a smooth random displacement field (two low-frequency waves per axis): writers' curves bulge and sag
  const ax = rng.uniform(0, 0.07);
  const ay = rng.uniform(0, 0.06);
  const fx = rng.uniform(2, 6);
  const fy = rng.uniform(2, 6);
  const phaseX = rng.uniform(0, 2 * Math.PI);
  const phaseY = rng.uniform(0, 2 * Math.PI);
  const bx = rng.uniform(-0.08, 0.08);
  const by = rng.uniform(-0.08, 0.08);
  const cos = Math.cos(rot);
  const sin = Math.sin(rot);
  // A = R * Shear * Scale, applied about the glyph centre
  const a = cos * sx;
  const b = (cos * shear - sin) * sy;
  const c = sin * sx;
  const d = (sin * shear + cos) * sy;

  const { xs, ys } = scratch;
  let n = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const stroke of glyph) {
    for (const p of stroke) {
      const u0 = p[0] - 0.5;
      const v0 = p[1] - 0.5;
      // bx/by: quadratic bends (top wider than bottom, left taller than right)
      const u = u0 + ax * Math.sin(fx * p[1] + phaseX) + bx * v0 * v0 * 2 + by * u0 * v0;
      const v = v0 + ay * Math.sin(fy * p[0] + phaseY) + by * u0 * u0 * 2;
      const x = a * u + b * v;
      const y = c * u + d * v;
      xs[n] = x;
      ys[n] = y;
      n++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }

  const width = rng.uniform(1.3, 4);
  // MNIST strokes are saturated with a 1-2 px antialiased edge
  const soft = rng.uniform(0.4, 1);
  const peak = rng.next() < 0.8 ? 1 : rng.uniform(0.85, 1);
  const box = rng.uniform(17, 20.5);
  const scale = (box - width) / Math.max(maxX - minX, maxY - minY, 1e-6);
  // MNIST centred each digit by its centre of mass: use the ink centroid of the strokes (length-weighted)
  let cx = 0;
  let cy = 0;
  let total = 0;
  let k0 = 0;
  for (const stroke of glyph) {
    for (let i = k0; i < k0 + stroke.length - 1; i++) {
      const len = Math.hypot((xs[i + 1] as number) - (xs[i] as number), (ys[i + 1] as number) - (ys[i] as number));
      cx += len * ((xs[i] as number) + (xs[i + 1] as number)) * 0.5;
      cy += len * ((ys[i] as number) + (ys[i + 1] as number)) * 0.5;
      total += len;
    }
    k0 += stroke.length;
  }
  cx = total > 0 ? cx / total : (minX + maxX) / 2;
  cy = total > 0 ? cy / total : (minY + maxY) / 2;
  // keep the whole glyph inside the frame whatever the centroid and jitter
  const margin = 2 + width / 2;
  const clampShift = (t: number, lo: number, hi: number) => Math.min(SIZE - margin - hi * scale, Math.max(margin - lo * scale, t));
  const tx = clampShift(CENTRE + Math.max(-1.5, Math.min(1.5, rng.normal() * 0.6)) - cx * scale, minX, maxX);
  const ty = clampShift(CENTRE + Math.max(-1.5, Math.min(1.5, rng.normal() * 0.6)) - cy * scale, minY, maxY);
  for (let i = 0; i < n; i++) {
    xs[i] = (xs[i] as number) * scale + tx;
    ys[i] = (ys[i] as number) * scale + ty;
  }

  out.fill(0, offset, offset + SIZE * SIZE);
  const half = width / 2;
  const reach = half + soft;
  const invSoft = 1 / soft;
  let k = 0;
  for (const stroke of glyph) {
    const start = k;
    k += stroke.length;
    for (let i = start; i < k - 1; i++) {
      const x0 = xs[i] as number;
      const y0 = ys[i] as number;
      const x1 = xs[i + 1] as number;
      const y1 = ys[i + 1] as number;
      const dx = x1 - x0;
      const dy = y1 - y0;
      const len2 = dx * dx + dy * dy;
      const inv = len2 > 1e-12 ? 1 / len2 : 0;
      const c0 = Math.max(0, Math.floor(Math.min(x0, x1) - reach));
      const c1 = Math.min(SIZE - 1, Math.ceil(Math.max(x0, x1) + reach));
      const r0 = Math.max(0, Math.floor(Math.min(y0, y1) - reach));
      const r1 = Math.min(SIZE - 1, Math.ceil(Math.max(y0, y1) + reach));
      for (let r = r0; r <= r1; r++) {
        const py = r + 0.5 - y0;
        const row = offset + r * SIZE;
        for (let col = c0; col <= c1; col++) {
          const px = col + 0.5 - x0;
          let t = (px * dx + py * dy) * inv;
          t = t < 0 ? 0 : t > 1 ? 1 : t;
          const ex = px - t * dx;
          const ey = py - t * dy;
          const dist = Math.sqrt(ex * ex + ey * ey);
          let value = 0.5 + (half - dist) * invSoft;
          if (value <= 0) continue;
          if (value > 1) value = 1;
          value *= peak;
          if (value > (out[row + col] as number)) out[row + col] = value;
        }
      }
    }
  }

  if (rng.next() < 0.3) blurInto(out, offset, scratch.blur, rng.uniform(0.2, 0.6));
  const noise = rng.next() < 0.5 ? rng.uniform(0, 0.06) : 0;
  if (noise > 0) {
    for (let i = offset; i < offset + SIZE * SIZE; i++) {
      const v = (out[i] as number) + (rng.next() - 0.5) * noise;
      out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
}

/** Mixes the image with its [1 2 1]/4 separable blur (amount in [0, 1]): softer, ink-like edges. */
function blurInto(img: Float32Array, offset: number, tmp: Float32Array, amount: number): void {
  for (let r = 0; r < SIZE; r++) {
    const row = offset + r * SIZE;
    for (let c = 0; c < SIZE; c++) {
      const l = c > 0 ? (img[row + c - 1] as number) : 0;
      const rr = c < SIZE - 1 ? (img[row + c + 1] as number) : 0;
      tmp[r * SIZE + c] = 0.25 * l + 0.5 * (img[row + c] as number) + 0.25 * rr;
    }
  }
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      const u = r > 0 ? (tmp[(r - 1) * SIZE + c] as number) : 0;
      const dn = r < SIZE - 1 ? (tmp[(r + 1) * SIZE + c] as number) : 0;
      const blurred = 0.25 * u + 0.5 * (tmp[r * SIZE + c] as number) + 0.25 * dn;
      const i = offset + r * SIZE + c;
      img[i] = (1 - amount) * (img[i] as number) + amount * blurred;
    }
  }
}
