/**
 * The Generate page's 2-D latent map: encodings are projected onto their first two principal axes;
 * a click on the map is turned back into a full latent vector (mean + u * pc1 + v * pc2) and decoded.
 */
import { type Pca2d, pca2d, pcaLift, pcaProject } from '@logitlab/metrics';

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

const asPca = (plane: Plane): Pca2d => ({
  points: new Float64Array(0),
  mean: Float64Array.from(plane.mean),
  axes: [Float64Array.from(plane.axis1), Float64Array.from(plane.axis2)],
});

/** Coordinates of each `dim`-vector in `vectors` (row-major) on the plane (metrics' pcaProject). */
export function project(plane: Plane, vectors: Float32Array): Float32Array {
  return Float32Array.from(pcaProject(asPca(plane), vectors));
}

/** The latent vector at plane coordinates (u, v) (metrics' pcaLift). */
export function lift(plane: Plane, u: number, v: number): Float32Array {
  return Float32Array.from(pcaLift(asPca(plane), u, v));
}

/** The two leading principal axes of row-major `vectors` ([n, dim]): metrics' pca2d. */
export function principalPlane(vectors: Float32Array, dim: number): Plane {
  const { mean, axes } = pca2d(vectors, { count: Math.floor(vectors.length / dim) });
  return { mean: Float32Array.from(mean), axis1: Float32Array.from(axes[0]), axis2: Float32Array.from(axes[1]) };
}
