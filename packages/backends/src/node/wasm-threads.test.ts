// The threaded SIMD wasm build starts in Node, with the temporary patches undone afterwards.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { gradsOn, relativeError } from '../../test/kernel-test-util';
import { workerScriptPath } from './wasm-threads';

const convLoss = (x: tf.Tensor, w: tf.Tensor) =>
  tf
    .conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')
    .square()
    .sum();
const convInputs = () => [tf.randomNormal([4, 12, 12, 10], 0, 1, 'float32', 1), tf.randomNormal([5, 5, 10, 20], 0, 0.1, 'float32', 2)];

describe('wasm threads in Node', () => {
  it('runs XNNPACK with 2 threads and restores os.cpus and URL.createObjectURL', async () => {
    const cpus = os.cpus;
    const createObjectURL = URL.createObjectURL;
    const info = await useBackend('wasm', { threads: 2 });
    expect(info).toMatchObject({ name: 'wasm', platform: 'node', simd: true, threads: 2 });
    expect(os.cpus).toBe(cpus);
    expect(URL.createObjectURL).toBe(createObjectURL);
  });

  it('computes the same conv2d gradients as cpu with 2 threads', async () => {
    const cpu = await gradsOn('cpu', convLoss, convInputs);
    const wasm = await gradsOn('wasm', convLoss, convInputs);
    cpu.forEach((expected, i) => expect(relativeError(wasm[i]!, expected)).toBeLessThan(1e-4));
  });

  it("'auto' picks native in Node where its addon is built, else wasm (tfjs-node is not installed)", async () => {
    const nativeLoads = await import('@logitlab/native').then(
      (m) => m.loadNative().ok,
      () => false,
    );
    const expected = nativeLoads ? 'native' : 'wasm';
    const info = await useBackend('auto');
    expect(info.name).toBe(expected);
    expect(tf.getBackend()).toBe(expected);
  });

  it("'auto' falls back to wasm when native cannot start, and says why", async () => {
    const { createBackendApi } = await import('../use-backend');
    const { nodeAdapter } = await import('./adapter');
    const api = createBackendApi({ ...nodeAdapter, startNative: async () => Promise.reject(new Error('no libdnnl.so.2 in this test')) });
    const info = await api.useBackend('auto');
    expect(info.name).toBe('wasm');
    const native = (await api.listBackends()).find((b) => b.name === 'native');
    expect(native).toMatchObject({ installed: true, works: false });
    expect(native?.reason).toMatch(/no libdnnl\.so\.2 in this test/);
  });

  it('writes the pthread worker script to the temp dir, not next to the package', () => {
    const file = workerScriptPath();
    expect(file.startsWith(os.tmpdir())).toBe(true);
    expect(file).toMatch(/logitlab-tfjs-wasm-worker-[0-9a-f]{16}\.cjs$/);
  });
});
