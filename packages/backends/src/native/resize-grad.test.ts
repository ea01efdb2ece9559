// ResizeNearestNeighborGrad against the forward kernel's own adjoint (not against cpu, whose kernel is
// wrong for batches of more than one image in tfjs-backend-cpu 4.22.0; see resize-grad.ts).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { onBackend, untestableReason } from '../../test/kernel-test-util';

const skip = await untestableReason('native');

/** d/dx sum(resize(x) * w), built from the forward on unique input values: each output names its source. */
function adjointReference(
  shape: [number, number, number, number],
  size: [number, number],
  w: Float32Array,
  attrs: [boolean, boolean],
): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const ids = tf.tidy(() => tf.image.resizeNearestNeighbor(tf.range(0, n).reshape(shape) as tf.Tensor4D, size, ...attrs).dataSync());
  const ref = new Float32Array(n);
  ids.forEach((id, k) => (ref[id] = (ref[id] ?? 0) + (w[k] ?? 0)));
  return ref;
}

const cases: Array<[[number, number, number, number], [number, number], [boolean, boolean]]> = [
  [
    [2, 3, 4, 1],
    [6, 8],
    [false, false],
  ],
  [
    [3, 6, 6, 3],
    [12, 12],
    [false, false],
  ],
  [
    [2, 5, 7, 2],
    [9, 10],
    [false, false],
  ],
  [
    [2, 5, 7, 2],
    [9, 10],
    [true, false],
  ],
  [
    [2, 5, 7, 2],
    [8, 13],
    [false, true],
  ],
];

// cpu gets the same kernel through useBackend('cpu'); native registers it with its own kernels
describe.each(['cpu', 'native'] as const)('%s ResizeNearestNeighborGrad', (backend) => {
  if (backend === 'native' && skip !== undefined) return;
  it.each(cases)('x%j -> %j (alignCorners, halfPixelCenters = %j) equals the forward adjoint', async (shape, size, attrs) => {
    if (backend === 'cpu') await useBackend('cpu');
    const [got, want] = await onBackend(backend, () => {
      const before = tf.memory().numTensors;
      const w = tf.randomNormal([shape[0], ...size, shape[3]], 0, 1, 'float32', 7);
      const x0 = tf.zeros(shape);
      const g = tf.grad((x: tf.Tensor) =>
        tf.image
          .resizeNearestNeighbor(x as tf.Tensor4D, size, ...attrs)
          .mul(w)
          .sum(),
      )(x0);
      const result = [g.dataSync().slice(), adjointReference(shape, size, w.dataSync() as Float32Array, attrs)];
      tf.dispose([g, w, x0]);
      expect(tf.memory().numTensors).toBe(before);
      return result;
    });
    expect(Array.from(got!)).toEqual(Array.from(want!).map((v) => Math.fround(v)));
  });
});
