import { afterEach, describe, expect, it } from 'vitest';
import { nodeAdapter } from './adapter';

describe('wasm threads by default in Node', () => {
  const saved = process.env.LOGITLAB_WASM_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOGITLAB_WASM_THREADS;
    else process.env.LOGITLAB_WASM_THREADS = saved;
  });

  it('honours LOGITLAB_WASM_THREADS, so parallel test workers do not oversubscribe the cores', () => {
    process.env.LOGITLAB_WASM_THREADS = '1';
    expect(nodeAdapter.defaultWasmThreads()).toBe(1);
    process.env.LOGITLAB_WASM_THREADS = '3';
    expect(nodeAdapter.defaultWasmThreads()).toBe(3);
  });

  it('ignores a value that is not a positive integer', () => {
    process.env.LOGITLAB_WASM_THREADS = 'lots';
    expect(nodeAdapter.defaultWasmThreads()).toBe(Math.max(1, Math.min(4, nodeAdapter.hardwareThreads())));
  });
});
