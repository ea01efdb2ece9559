// useBackend('webgpu') in Node on Dawn, for real: on llvmpipe here and in CI (LOGITLAB_REQUIRE_WEBGPU=1),
// skipped with the reason printed where the `webgpu` package or the GL libraries are missing.
import * as tf from '@tensorflow/tfjs-core';
import { syncReadsWork } from '@logitlab/core';
import { describe, expect, it } from 'vitest';
import { BackendNotInstalledError, SyncReadUnavailableError, useBackend } from '../../index';
import { untestableReason } from '../../../test/kernel-test-util';
import { nodeAdapter } from '../adapter';

const skip = await untestableReason('webgpu');

describe.skipIf(skip)(`useBackend('webgpu') in Node${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  it('starts on a Dawn adapter and names it', { timeout: 120_000 }, async () => {
    const info = await useBackend('webgpu');
    expect(info).toMatchObject({ name: 'webgpu', platform: 'node', version: '4.22.0' });
    expect(info.adapter?.name.length).toBeGreaterThan(0);
    expect(['hardware', 'software']).toContain(info.adapter?.type);
    expect(['vulkan', 'opengl']).toContain(info.adapter?.api);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('reads asynchronously; a sync read of GPU data is a typed error (Node has no OffscreenCanvas)', { timeout: 120_000 }, async () => {
    await useBackend('webgpu');
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => tf.tensor1d([1, 2, 3]).square());
    expect(Array.from(await y.data())).toEqual([1, 4, 9]);
    const z = tf.tidy(() => y.add(1));
    expect(() => z.dataSync()).toThrow(SyncReadUnavailableError);
    expect(() => z.dataSync()).toThrow(/await tensor.data\(\)/);
    // values read once asynchronously are cached on the host: a later sync read of them works
    await z.data();
    expect(Array.from(z.dataSync())).toEqual([2, 5, 10]);
    expect(syncReadsWork()).toBe(false);
    tf.dispose([y, z]);
    expect(tf.memory().numTensors).toBe(before);
    await useBackend('cpu');
    expect(syncReadsWork()).toBe(true);
  });

  it('the Dawn binding is the 0.6 API our loader expects (create, globals with the WebGPU constants)', async () => {
    const dawn = await import('webgpu');
    expect(typeof dawn.create).toBe('function');
    expect(Object.keys(dawn.globals)).toEqual(expect.arrayContaining(['GPUBufferUsage', 'GPUMapMode', 'GPUTextureUsage']));
  });

  it("'auto' takes webgpu only on a hardware adapter", { timeout: 120_000 }, async () => {
    const info = await useBackend('webgpu');
    const reason = await nodeAdapter.autoSkipReason!('webgpu');
    if (info.adapter?.type === 'software') expect(reason).toMatch(/adapter is software .*CPU backends are faster/);
    else expect(reason).toBeUndefined();
    await useBackend('cpu');
  });
});

describe('webgpu in Node without its packages', () => {
  it('names the webgpu package and the exact install line (GL libraries and the package)', () => {
    const e = new BackendNotInstalledError('webgpu', { packageName: 'webgpu' });
    expect(e.packageName).toBe('webgpu');
    expect(e.installCommand).toBe('apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri && npm install webgpu@0.6.2');
    expect(e.message).toContain(`Backend 'webgpu' needs the package webgpu, which is not installed. Install it with: ${e.installCommand}`);
  });
});
