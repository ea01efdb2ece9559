// onSyncReadableBackend: in place where sync reads work; elsewhere on a fallback, with the kept tensors
// moved intact and the active backend restored, also when fn throws or no fallback starts.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { markNoSyncReads } from '@logitlab/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NoBackendAvailableError, cacheOnHost, onSyncReadableBackend, useBackend } from './index';

// a cpu backend marked as having no sync reads, as webgpu in Node is
const NO_SYNC = 'cpu-marked-no-sync';
tf.registerBackend(NO_SYNC, () => Object.assign(new MathBackendCPU(), { firstUse: false }), -1);
for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: NO_SYNC });
markNoSyncReads(NO_SYNC);

beforeAll(async () => {
  await useBackend('cpu');
});
afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('onSyncReadableBackend', () => {
  it('runs fn in place where sync reads work', async () => {
    const before = tf.memory().numTensors;
    const { value, backend } = await onSyncReadableBackend(() => tf.tidy(() => tf.scalar(3).square().dataSync()[0]));
    expect(value).toBe(9);
    expect(backend).toBe('cpu');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs fn on the first fallback that starts, the kept tensors moved intact, and comes back', async () => {
    await tf.setBackend(NO_SYNC);
    const w = tf.tensor1d([1, -2, 3]);
    const before = tf.memory().numTensors;
    const { value, backend } = await onSyncReadableBackend(
      async () => {
        await Promise.resolve(); // an asynchronous fn is awaited on the fallback
        return { on: tf.getBackend(), sum: tf.tidy(() => w.sum().dataSync()[0]) };
      },
      { keep: [w], fallbacks: ['webgl', 'cpu'] }, // webgl cannot start in Node: the next one runs
    );
    expect(backend).toBe('cpu');
    expect(value).toEqual({ on: 'cpu', sum: 2 });
    expect(tf.getBackend()).toBe(NO_SYNC);
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('restores the active backend when fn throws', async () => {
    await tf.setBackend(NO_SYNC);
    const error = await onSyncReadableBackend(
      () => {
        throw new RangeError('fn failed');
      },
      { keep: [], fallbacks: ['cpu'] },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(tf.getBackend()).toBe(NO_SYNC);
  });

  it('no fallback that starts: a typed error naming each and why, fn not run, the active backend kept', async () => {
    await tf.setBackend(NO_SYNC);
    let ran = false;
    const error = await onSyncReadableBackend(
      () => {
        ran = true;
      },
      { keep: [], fallbacks: ['webgl'] },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoBackendAvailableError);
    expect((error as NoBackendAvailableError).failures.map((f) => f.name)).toEqual(['webgl']);
    expect((error as Error).message).toMatch(/webgl: /);
    expect(ran).toBe(false);
    expect(tf.getBackend()).toBe(NO_SYNC);
  });
});

describe('cacheOnHost', () => {
  it('reads the tensors back where sync reads are missing and leaves nothing behind', async () => {
    await tf.setBackend(NO_SYNC);
    const t = tf.tensor1d([4, 5]);
    const disposed = tf.tensor1d([1]);
    disposed.dispose(); // skipped, not read
    const before = tf.memory().numTensors;
    await cacheOnHost([t, disposed]);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(await t.data())).toEqual([4, 5]);
    t.dispose();
  });
});
