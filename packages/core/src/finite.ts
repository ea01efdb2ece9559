import * as tf from '@tensorflow/tfjs-core';

/**
 * Index (flat, row-major) of the first NaN or +-Infinity in `x`, or -1 when every value is finite.
 * On a tensor the common, all-finite case costs one reduction and one scalar read: sum(x * 0) is 0
 * exactly when every value is finite (0 * NaN and 0 * Inf are NaN), and mul and sum exist on every
 * backend. Only when the sum says there is a bad value are the values read to find the first one.
 * Integer and bool tensors are always finite. A host array is scanned directly: it is already on the host.
 */
export function firstNonFinite(x: tf.Tensor | ArrayLike<number>): number {
  if (x instanceof tf.Tensor) {
    if (x.dtype !== 'float32' || x.size === 0) return -1;
    const probe = tf.tidy(() => tf.sum(tf.mul(x, 0)));
    const finite = Number.isFinite(probe.dataSync()[0]);
    probe.dispose();
    return finite ? -1 : scan(x.dataSync());
  }
  return scan(x);
}

/** firstNonFinite with asynchronous reads, for backends that cannot read synchronously (webgpu in Node). */
export async function firstNonFiniteAsync(x: tf.Tensor): Promise<number> {
  if (x.dtype !== 'float32' || x.size === 0) return -1;
  const probe = tf.tidy(() => tf.sum(tf.mul(x, 0)));
  const sum = (await probe.data())[0];
  probe.dispose();
  return Number.isFinite(sum) ? -1 : scan(await x.data());
}

function scan(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** A row-major flat index as a multi-index, e.g. 5 in [2, 3] -> "[1, 2]", for messages that name the bad element. */
export function indexAt(flat: number, shape: readonly number[]): string {
  const out = Array.from({ length: shape.length }, () => 0);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    out[d] = size > 0 ? rest % size : 0;
    rest = size > 0 ? Math.floor(rest / size) : 0;
  }
  return `[${out.join(', ')}]`;
}
