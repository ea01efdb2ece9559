/**
 * The Generate page's 2-D latent map: encodings are projected onto their first two principal axes;
 * a click on the map is turned back into a full latent vector (mean + u * pc1 + v * pc2) and decoded.
 */

export interface Bounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** Bounds of 2-D points, widened by `pad` (a fraction of the span) so no point sits on the edge. */
export function boundsOf(points: ArrayLike<number>, pad = 0.1): Bounds {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i] ?? 0;
    const y = points[i + 1] ?? 0;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX)) return { minX: -1, maxX: 1, minY: -1, maxY: 1 };
  // A degenerate axis (all points equal) still gets a usable span.
  const sx = maxX - minX || 1;
  const sy = maxY - minY || 1;
  return { minX: minX - pad * sx, maxX: maxX + pad * sx, minY: minY - pad * sy, maxY: maxY + pad * sy };
}

/** Latent coordinates -> canvas pixels (y grows upward in latent space, downward on canvas). */
export function toPixel(b: Bounds, width: number, height: number, x: number, y: number): { px: number; py: number } {
  return {
    px: ((x - b.minX) / (b.maxX - b.minX)) * width,
    py: ((b.maxY - y) / (b.maxY - b.minY)) * height,
  };
}

/** Canvas pixels -> latent coordinates; the inverse of `toPixel`. */
export function toLatent(b: Bounds, width: number, height: number, px: number, py: number): { x: number; y: number } {
  return {
    x: b.minX + (px / width) * (b.maxX - b.minX),
    y: b.maxY - (py / height) * (b.maxY - b.minY),
  };
}

/** A 2-D linear projection of latent vectors: mean and two orthonormal axes, each of length `dim`. */
export interface Plane {
  mean: Float32Array;
  axis1: Float32Array;
  axis2: Float32Array;
}

/** Coordinates of each `dim`-vector in `vectors` (row-major) on the plane. */
export function project(plane: Plane, vectors: Float32Array): Float32Array {
  const dim = plane.mean.length;
  const n = Math.floor(vectors.length / dim);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let u = 0;
    let v = 0;
    for (let d = 0; d < dim; d++) {
      const c = (vectors[i * dim + d] ?? 0) - (plane.mean[d] ?? 0);
      u += c * (plane.axis1[d] ?? 0);
      v += c * (plane.axis2[d] ?? 0);
    }
    out[i * 2] = u;
    out[i * 2 + 1] = v;
  }
  return out;
}

/** The latent vector at plane coordinates (u, v). */
export function lift(plane: Plane, u: number, v: number): Float32Array {
  const out = new Float32Array(plane.mean.length);
  for (let d = 0; d < out.length; d++) out[d] = (plane.mean[d] ?? 0) + u * (plane.axis1[d] ?? 0) + v * (plane.axis2[d] ?? 0);
  return out;
}

/**
 * The two leading principal axes of row-major `vectors` ([n, dim]) by power iteration with
 * deflation: dim is 30 at most here, so this is exact enough and needs no library.
 */
export function principalPlane(vectors: Float32Array, dim: number, iterations = 200): Plane {
  const n = Math.floor(vectors.length / dim);
  const mean = new Float32Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += (vectors[i * dim + d] ?? 0) / n;
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      const ca = (vectors[i * dim + a] ?? 0) - (mean[a] ?? 0);
      for (let b = 0; b < dim; b++) cov[a * dim + b]! += (ca * ((vectors[i * dim + b] ?? 0) - (mean[b] ?? 0))) / Math.max(1, n - 1);
    }
  }
  const leading = (): Float32Array => {
    // Deterministic, non-degenerate start vector.
    let v = Float64Array.from({ length: dim }, (_, i) => 1 + i / dim);
    for (let it = 0; it < iterations; it++) {
      const w = new Float64Array(dim);
      for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) w[a]! += (cov[a * dim + b] ?? 0) * (v[b] ?? 0);
      const norm = Math.hypot(...w) || 1;
      v = w.map((x) => x / norm);
    }
    return Float32Array.from(v);
  };
  const axis1 = leading();
  // Deflate: remove the first component's variance so the next power iteration finds the second.
  let lambda = 0;
  for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) lambda += (axis1[a] ?? 0) * (cov[a * dim + b] ?? 0) * (axis1[b] ?? 0);
  for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) cov[a * dim + b]! -= lambda * (axis1[a] ?? 0) * (axis1[b] ?? 0);
  const axis2 = leading();
  return { mean, axis1, axis2 };
}
