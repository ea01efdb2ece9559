import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { collectChecks, deferCheck, firstFailedCheck } from './deferred-checks';
import { LogitlabError } from './errors';

const atMost = (limit: number) => (v: readonly number[]) => (v.some((x) => x > limit) ? new RangeError(`value above ${limit}`) : undefined);

describe('deferred checks: handed to the open collection, or checked by the caller at once', () => {
  it('with no collection open, deferCheck takes nothing and says so', () => {
    const t = tf.tensor1d([1, 2]);
    expect(deferCheck(t, atMost(1))).toBe(false);
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });

  it('a collection keeps the values past the caller’s tidy and judges them in order, first failure wins', () => {
    const before = tf.memory().numTensors;
    const { result, checks } = collectChecks(() =>
      tf.tidy(() => {
        expect(deferCheck(tf.tensor1d([0, 1]), atMost(1))).toBe(true);
        expect(deferCheck(tf.tensor1d([5]), atMost(3))).toBe(true);
        return 7;
      }),
    );
    expect(result).toBe(7);
    expect(checks.map((c) => c.values.isDisposed)).toEqual([false, false]);
    expect(firstFailedCheck(checks, [0, 1, 2])).toBeUndefined();
    expect(firstFailedCheck(checks, [0, 2, 5])?.message).toBe('value above 1');
    expect(firstFailedCheck(checks, [0, 1, 5])?.message).toBe('value above 3');
    tf.dispose(checks.map((c) => c.values));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees what was collected when the step throws, and closes the collection', () => {
    const before = tf.memory().numTensors;
    expect(() =>
      collectChecks(() => {
        deferCheck(tf.tensor1d([1]), atMost(0));
        throw new Error('loss failed');
      }),
    ).toThrow('loss failed');
    expect(tf.memory().numTensors).toBe(before);
    const t = tf.scalar(1);
    expect(deferCheck(t, atMost(0))).toBe(false);
    t.dispose();
  });

  it('refuses a nested collection with a typed error', () => {
    collectChecks(() => {
      expect(() => collectChecks(() => 1)).toThrow(LogitlabError);
      expect(() => collectChecks(() => 1)).toThrow(/already open; expected one step at a time/);
    });
  });
});
