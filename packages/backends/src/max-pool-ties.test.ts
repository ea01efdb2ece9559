// Max-pool gradients of tied windows, on every backend Node can run, against PyTorch's rule written out
// independently of any backend: a window's gradient goes to its FIRST maximum in row-major window order
// (padding never wins, NaN never wins, a window of -Infinity only routes nothing). A drawing's flat
// background and saturated stroke tie most of a convnet's pooling windows, so a backend that picks
// another element of a tie moves the heatmaps (webgl did, by ~0.35 of max |R|; it runs only in a
// browser, so apps/web/e2e/correct-maps.mjs checks it against these same cases' rule).
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type TrainedBackend, onBackend, untestableReason } from '../test/kernel-test-util';

type Backend = 'cpu' | TrainedBackend;
const BACKENDS: Backend[] = ['cpu', 'wasm', 'native', 'webgpu'];
const skip: Partial<Record<Backend, string>> = {};
// one at a time: each probe switches the active backend
for (const b of BACKENDS) if (b !== 'cpu') skip[b] = await untestableReason(b);

type Pad = 'valid' | 'same';

/** PyTorch's max_pool2d backward for NHWC data: dy of each window added at its first strict maximum. */
function firstMaxReference(x: Float32Array, shape: number[], size: number, stride: number, pad: Pad, dy: Float32Array) {
  const c = backend_util.computePool2DInfo(shape as [number, number, number, number], size, stride, 1, pad);
  const dx = new Float64Array(x.length);
  let ties = 0; // windows whose maximum occurs more than once
  let o = 0;
  for (let b = 0; b < c.batchSize; b++)
    for (let oh = 0; oh < c.outHeight; oh++)
      for (let ow = 0; ow < c.outWidth; ow++)
        for (let d = 0; d < c.inChannels; d++, o++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          let count = 0;
          for (let wr = 0; wr < size; wr++)
            for (let wc = 0; wc < size; wc++) {
              const r = oh * stride - c.padInfo.top + wr;
              const col = ow * stride - c.padInfo.left + wc;
              if (r < 0 || r >= c.inHeight || col < 0 || col >= c.inWidth) continue;
              const i = ((b * c.inHeight + r) * c.inWidth + col) * c.inChannels + d;
              if (x[i]! > best) {
                best = x[i]!;
                at = i;
                count = 1;
              } else if (x[i] === best) count++;
            }
          if (at >= 0) dx[at] = dx[at]! + dy[o]!;
          if (count > 1) ties++;
        }
  return { dx, ties, windows: o };
}

/**
 * A drawing as a convnet's first layer sees it: a flat background, a saturated stroke and a few grey
 * edge pixels (three values, so nearly every window is tied), one negative channel (the stock wasm
 * kernel lost windows whose maximum is below 0), and NaN, -Infinity and +Infinity in the second image.
 */
function tiedInput(shape: number[]): Float32Array {
  const [n, h, w, ch] = shape as [number, number, number, number];
  const x = new Float32Array(n * h * w * ch);
  let seed = 7;
  for (let i = 0; i < x.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const level = seed % 5 < 3 ? 0 : seed % 5 === 3 ? 1 : 0.5; // background, stroke, edge
    x[i] = i % ch === ch - 1 ? -0.42 - level : level * 2.82 - 0.42;
  }
  const at = (b: number, r: number, c: number, d: number) => ((b * h + r) * w + c) * ch + d;
  x[at(1, 0, 1, 0)] = Number.NaN;
  for (const [r, c] of [
    [2, 2],
    [2, 3],
    [3, 2],
    [3, 3],
  ] as const)
    x[at(1, r, c, 1)] = Number.NEGATIVE_INFINITY;
  x[at(1, 4, 5, 0)] = Number.POSITIVE_INFINITY;
  return x;
}

// [input shape, window, stride, padding]: the convnets' 2 x 2 / 2 (and an odd size, its last row and
// column unpooled), overlapping 3 x 3 windows with stride 2 and 1, and 'same' padding at the borders
const CASES: Array<[number[], number, number, Pad]> = [
  [[2, 8, 8, 3], 2, 2, 'valid'],
  [[2, 9, 9, 3], 2, 2, 'valid'],
  [[2, 9, 9, 3], 3, 2, 'same'],
  [[2, 7, 8, 3], 3, 1, 'valid'],
  [[2, 6, 6, 3], 2, 2, 'same'],
];

describe.each(BACKENDS)('%s: the max-pool gradient of a tied window goes to its first maximum (PyTorch)', (backend) => {
  if (skip[backend]) {
    it.skip(`${backend}: ${skip[backend]}`, () => undefined);
    return;
  }

  it('a window of four equal values sends its whole gradient to the top-left element', async () => {
    const dx = await onBackend(backend, async () => {
      const x = tf.tensor4d([0.5, 0.5, 0.5, 0.5], [1, 2, 2, 1]);
      const g = tf.grad((t: tf.Tensor) =>
        tf
          .maxPool(t as tf.Tensor4D, 2, 2, 'valid')
          .mul(3)
          .sum(),
      )(x);
      const values = Array.from(await g.data());
      tf.dispose([x, g]);
      return values;
    });
    expect(dx).toEqual([3, 0, 0, 0]);
  });

  it.each(CASES)('x %j, window %i, stride %i, %s: equal to the reference, no tensor leaked', async (shape, size, stride, pad) => {
    const xv = tiedInput(shape);
    const { dx, dyv, leaked } = await onBackend(backend, async () => {
      const before = tf.memory().numTensors;
      const x = tf.tensor4d(xv, shape as [number, number, number, number]);
      // dy differs per output, so a gradient routed to another element of its window shows
      const [dy, g] = tf.tidy(() => {
        const y = tf.maxPool(x, size, stride, pad);
        const w = tf.linspace(1, 2, y.size).reshape(y.shape);
        return [
          w,
          tf.grad((t: tf.Tensor) =>
            tf
              .maxPool(t as tf.Tensor4D, size, stride, pad)
              .mul(w)
              .sum(),
          )(x),
        ];
      });
      const out = { dx: (await g!.data()) as Float32Array, dyv: (await dy!.data()) as Float32Array };
      tf.dispose([x, dy!, g!]);
      return { ...out, leaked: tf.memory().numTensors - before };
    });
    const { dx: expected, ties, windows } = firstMaxReference(xv, shape, size, stride, pad, dyv);
    const wrong = Array.from(dx).flatMap((v, i) => (Math.abs(v - expected[i]!) > 1e-5 ? [`dx[${i}] = ${v}, expected ${expected[i]}`] : []));
    expect(wrong).toEqual([]);
    // the cases must hold ties for this to test anything: most of their windows do
    expect(ties).toBeGreaterThan(windows / 3);
    expect(leaked).toBe(0);
  });
});
