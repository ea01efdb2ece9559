import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstNonFinite, indexAt } from './finite';

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

describe('firstNonFinite', () => {
  it('is -1 for finite tensors and arrays, including huge finite values and empty input', () => {
    const x = tf.tensor2d([
      [1, -3.4e38],
      [3.4e38, 0],
    ]);
    expect(firstNonFinite(x)).toBe(-1);
    expect(firstNonFinite([1, 2, 3])).toBe(-1);
    expect(firstNonFinite(new Float32Array(0))).toBe(-1);
    const empty = tf.zeros([0, 3]);
    expect(firstNonFinite(empty)).toBe(-1);
    tf.dispose([x, empty]);
  });

  it.each([NaN, Infinity, -Infinity])('finds the first %s in a tensor and in an array', (bad) => {
    const values = [0, 1, 2, bad, 4, bad];
    const x = tf.tensor2d(values, [2, 3]);
    expect(firstNonFinite(x)).toBe(3);
    expect(firstNonFinite(values)).toBe(3);
    expect(firstNonFinite(Float32Array.from(values))).toBe(3);
    x.dispose();
  });

  it('reads a finite tensor only through one scalar, and the values only when one is bad', () => {
    const good = tf.ones([64, 28, 28, 1]);
    const bad = tf.tensor1d([1, NaN]);
    const goodRead = vi.spyOn(good, 'dataSync');
    const badRead = vi.spyOn(bad, 'dataSync');
    expect(firstNonFinite(good)).toBe(-1);
    expect(goodRead).not.toHaveBeenCalled();
    expect(firstNonFinite(bad)).toBe(1);
    expect(badRead).toHaveBeenCalledTimes(1);
    tf.dispose([good, bad]);
  });

  it('treats int32 and bool tensors as finite without reading them', () => {
    const i = tf.tensor1d([1, 2], 'int32');
    const b = tf.tensor1d([1, 0], 'bool');
    expect(firstNonFinite(i)).toBe(-1);
    expect(firstNonFinite(b)).toBe(-1);
    tf.dispose([i, b]);
  });
});

describe('indexAt', () => {
  it('turns a flat index into a row-major multi-index', () => {
    expect(indexAt(5, [2, 3])).toBe('[1, 2]');
    expect(indexAt(0, [4])).toBe('[0]');
    expect(indexAt(7, [2, 2, 2])).toBe('[1, 1, 1]');
  });
});
