// Measures of generated samples and latent codes, so a report (the trainer's VAE experiment, the web
// demo's weights manifest) says "digit-like" or "clusters" only where a number says so.

/** Mean over `samples` (rows of `dim` values) of the per-pixel mean squared distance to the nearest row of `reference`. */
export function nearestDistance(samples: Float32Array, reference: Float32Array, dim: number): number {
  const n = samples.length / dim;
  const m = reference.length / dim;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < m && best > 0; j++) {
      let d = 0;
      for (let p = 0; p < dim && d < best * dim; p++) {
        const diff = samples[i * dim + p]! - reference[j * dim + p]!;
        d += diff * diff;
      }
      best = Math.min(best, d / dim);
    }
    total += best;
  }
  return n ? total / n : NaN;
}

/** A flat image at the reference's mean intensity: the "grey noise" a sample should not be mistaken for. */
export function flatImage(reference: Float32Array, dim: number): Float32Array {
  let mean = 0;
  for (const v of reference) mean += v;
  mean /= reference.length || 1;
  return new Float32Array(dim).fill(mean);
}

/**
 * The share of `samples` that are closer to some real digit than to the flat mean-intensity image:
 * a blurry digit is, grey noise is not (under squared distance a flat image is near everything,
 * so comparing each sample with both is what separates the two).
 */
export function digitLikeShare(samples: Float32Array, reference: Float32Array, dim: number): number {
  const flat = flatImage(reference, dim);
  const n = samples.length / dim;
  let like = 0;
  for (let i = 0; i < n; i++) {
    const one = samples.subarray(i * dim, (i + 1) * dim);
    if (nearestDistance(one, reference, dim) < nearestDistance(one, flat, dim)) like++;
  }
  return n ? like / n : NaN;
}

/** Leave-one-out k-nearest-neighbour accuracy of `labels` from codes (rows of `dim`): how well digits cluster. */
export function knnAccuracy(codes: Float32Array, labels: ArrayLike<number>, dim: number, k = 5): number {
  const n = Math.min(labels.length, codes.length / dim);
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const near: { d: number; label: number }[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d = 0;
      for (let p = 0; p < dim; p++) {
        const diff = codes[i * dim + p]! - codes[j * dim + p]!;
        d += diff * diff;
      }
      near.push({ d, label: labels[j]! });
    }
    near.sort((a, b) => a.d - b.d);
    const votes = new Map<number, number>();
    for (const { label } of near.slice(0, k)) votes.set(label, (votes.get(label) ?? 0) + 1);
    const top = [...votes.entries()].reduce((a, b) => (b[1] > a[1] ? b : a), [-1, 0]);
    if (top[0] === labels[i]) ok++;
  }
  return n ? ok / n : NaN;
}
