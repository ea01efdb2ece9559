// The native backend reuses its kernels' output buffers; nothing a user or another tensor can still see
// may be overwritten. Skips where the addon is not built (see untestableReason).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { untestableReason } from '../../test/kernel-test-util';
import { BufferPool } from './pool';

const skip = await untestableReason('native');

describe('BufferPool', () => {
  it('reuses a buffer given back, never one that was pinned, read or handed out', () => {
    const pool = new BufferPool();
    const a = pool.take(16);
    pool.stored(a);
    pool.give(a);
    expect(pool.take(16)).toBe(a);
    const b = pool.take(16);
    pool.stored(b);
    pool.escaped(b); // the user read it
    pool.give(b);
    expect(pool.take(16)).not.toBe(b);
    const c = pool.take(16);
    pool.stored(c);
    pool.stored(c.subarray(4, 8)); // another tensor views it
    pool.give(c);
    expect(pool.take(16)).not.toBe(c);
    const d = pool.take(16);
    pool.give(d); // never stored: its kernel may still be writing
    expect(pool.take(16)).not.toBe(d);
  });
});

describe.skipIf(skip !== undefined)('native buffer reuse', () => {
  beforeAll(async () => {
    await useBackend('native', { threads: 1 });
  });

  it('an array read with dataSync keeps its values after its tensor is disposed and more ops run', () => {
    const x = tf.tensor1d([1, 2, 3, 4]);
    const y = tf.mul(x, 2);
    const seen = y.dataSync();
    y.dispose();
    for (let i = 0; i < 10; i++) tf.tidy(() => tf.mul(x, 100 + i).dataSync());
    expect(Array.from(seen)).toEqual([2, 4, 6, 8]);
    x.dispose();
  });

  it('a slice (a view of its input on tfjs-cpu) keeps its values after the input is disposed', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const y = tf.mul(x, 3);
    const s = tf.slice(y, [1, 0], [1, 2]);
    y.dispose();
    for (let i = 0; i < 10; i++) tf.tidy(() => tf.mul(x, 7));
    expect(Array.from(s.dataSync())).toEqual([9, 12]);
    tf.dispose([x, s]);
  });

  it('training still matches: reused buffers are fully overwritten', () => {
    const w = tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 1));
    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 2);
    const losses: number[] = [];
    const opt = tf.train.sgd(0.05);
    for (let i = 0; i < 20; i++) {
      const l = opt.minimize(() => tf.relu(tf.matMul(x, w)).sub(1).square().mean(), true)!;
      losses.push(l.dataSync()[0]!);
      l.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19]).toBeLessThan(losses[0]!);
    tf.dispose([w, x]);
    opt.dispose();
  });
});
