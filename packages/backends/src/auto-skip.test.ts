import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nodeAdapter } from './node/adapter';
import { createBackendApi } from './use-backend';

describe("useBackend('auto') and software GPUs", () => {
  it('passes over a backend the platform calls software-emulated, and records why', async () => {
    // Node's own order (native, webgpu, tensorflow-gpu, tensorflow, wasm, cpu): pretend native, webgpu and wasm are skipped.
    const api = createBackendApi({
      ...nodeAdapter,
      autoSkipReason: async (name) => (['wasm', 'native', 'webgpu'].includes(name) ? 'software fallback in this test' : undefined),
    });
    const info = await api.useBackend('auto');
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('still uses the backend when it is asked for by name', async () => {
    const api = createBackendApi({ ...nodeAdapter, autoSkipReason: async () => 'always skipped' });
    await expect(api.useBackend('cpu')).resolves.toMatchObject({ name: 'cpu' });
    await expect(api.useBackend('auto')).rejects.toThrow(/always skipped/);
  });
});
