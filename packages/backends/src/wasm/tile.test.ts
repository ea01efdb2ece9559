import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { onBackend } from '../../test/kernel-test-util';
import { tileInto } from './tile';

beforeAll(async () => {
  await useBackend('wasm', { threads: 1 });
});

/** Tile by its definition: out[i] = x[i mod shape] per axis, one index at a time. */
function naiveTile(x: ArrayLike<number>, shape: number[], reps: number[]): number[] {
  const outShape = shape.map((d, i) => d * reps[i]!);
  const size = outShape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let src = 0;
    let stride = 1;
    for (let a = shape.length - 1; a >= 0; a--) {
      const i = rest % outShape[a]!;
      rest = Math.floor(rest / outShape[a]!);
      src += (i % shape[a]!) * stride;
      stride *= shape[a]!;
    }
    out.push(x[src]!);
  }
  return out;
}

const cases: [number[], number[]][] = [
  [[], []],
  [[1], [5]],
  [[3], [4]],
  [
    [1, 784],
    [128, 1],
  ],
  [
    [128, 1],
    [1, 784],
  ],
  [
    [2, 3],
    [3, 2],
  ],
  [
    [2, 1, 3],
    [2, 4, 1],
  ],
  [
    [1, 2, 1, 3],
    [3, 1, 2, 2],
  ],
  [
    [2, 3],
    [1, 1],
  ],
  [
    [2, 3],
    [0, 2],
  ],
  [
    [0, 3],
    [4, 2],
  ],
  [
    [1, 2, 3, 1, 2, 1],
    [2, 1, 2, 3, 1, 2],
  ],
];

/** broadcastTo runs as Tile: a row with NaN and -0 to three rows. */
const broadcast = () =>
  tf.tidy(() => {
    const row = tf.tensor2d([[1, Number.NaN, -0, 3.5]]);
    return Array.from(tf.broadcastTo(row, [3, 4]).dataSync());
  });

describe('wasm Tile by contiguous copies', () => {
  it.each(cases)('x%j reps %j equals the definition', (shape, reps) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const x = Float32Array.from({ length: size }, (_, i) => i + 0.5);
    const out = new Float32Array(shape.reduce((a, d, i) => a * d * reps[i]!, 1));
    tileInto(x, shape, reps, out);
    expect(Array.from(out)).toEqual(naiveTile(x, shape, reps));
  });

  it.each(['float32', 'int32', 'bool'] as const)(
    'tile and broadcastTo of %s equal cpu bit for bit, NaN included, freeing everything',
    async (dtype) => {
      const run = () =>
        tf.tidy(() =>
          cases.map(([shape, reps]) => {
            const size = shape.reduce((a, b) => a * b, 1);
            const values = Array.from({ length: size }, (_, i) => (i === 1 ? Number.NaN : i * 1.25 - 3));
            const x = tf.tensor(values, shape, dtype === 'bool' ? 'float32' : dtype);
            const typed = dtype === 'bool' ? tf.greater(x, 0) : x;
            const y = tf.tile(typed, reps);
            return { shape: y.shape, values: Array.from(y.dataSync() as ArrayLike<number>) };
          }),
        );
      const cpu = await onBackend('cpu', run);
      const cpuBroadcast = await onBackend('cpu', broadcast);
      const before = await onBackend('wasm', () => [tf.memory().numTensors, tf.engine().backend.numDataIds()]);
      const wasm = await onBackend('wasm', run);
      const wasmBroadcast = await onBackend('wasm', broadcast);
      expect([tf.memory().numTensors, tf.engine().backend.numDataIds()]).toEqual(before);
      expect(wasm).toEqual(cpu);
      expect(Object.is(wasmBroadcast[2], -0)).toBe(true);
      expect(wasmBroadcast).toEqual(cpuBroadcast);
    },
  );
});
