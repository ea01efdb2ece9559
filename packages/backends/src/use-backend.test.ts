import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendNotInstalledError, BackendUnavailableError, UnknownBackendError, registerAllGradients, useBackend } from './index';

describe('useBackend', () => {
  it('picks the cpu backend and describes it', async () => {
    const info = await useBackend('cpu');
    expect(info).toEqual({ name: 'cpu', platform: 'node', simd: false, threads: 1, version: '4.22.0' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it.each([
    ['tensorflow', '@tensorflow/tfjs-node'],
    ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
  ] as const)('asking for %s without its package is a typed error naming %s', async (name, packageName) => {
    const error = await useBackend(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendNotInstalledError);
    const e = error as BackendNotInstalledError;
    expect(e.name).toBe('BackendNotInstalledError');
    expect(e.packageName).toBe(packageName);
    expect(e.installCommand).toBe(`npm install ${packageName}@4.22.0`);
    expect(e.message).toContain(packageName);
    expect(e.message).toContain(e.installCommand);
    // the failed attempt leaves the previous backend active
    expect(tf.getBackend()).toBe('cpu');
  });

  it('refuses browser-only backends in Node with a reason', async () => {
    await expect(useBackend('webgl')).rejects.toThrow(BackendUnavailableError);
    await expect(useBackend('webgl')).rejects.toThrow(/runs only in browser/);
  });

  it('rejects unknown names', async () => {
    await expect(useBackend('tpu' as never)).rejects.toThrow(UnknownBackendError);
  });

  it('switches between backends at runtime and keeps tensors usable', async () => {
    await useBackend('cpu');
    const kept = tf.tensor1d([1, 2, 3]);
    const wasm = await useBackend('wasm', { threads: 1 });
    expect(wasm).toMatchObject({ name: 'wasm', platform: 'node', simd: true, threads: 1, version: '4.22.0' });
    expect(tf.getBackend()).toBe('wasm');
    expect(Array.from(await tf.mul(kept, 2).data())).toEqual([2, 4, 6]);
    await useBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const again = await useBackend('wasm', { threads: 4 });
    expect(again.threads).toBe(1); // wasm threads are fixed at its first start
    await useBackend('cpu');
    kept.dispose();
  });

  it('registers every gradient and the chained ops', () => {
    expect(() => registerAllGradients()).not.toThrow();
    expect(tf.getGradient('Conv2D')).toBeDefined();
    const t = tf.ones([2, 2]);
    const r = t.reshape([4]);
    expect(r.shape).toEqual([4]);
    tf.dispose([t, r]);
  });
});
