import { afterEach, describe, expect, it } from 'vitest';
import { nodeAdapter } from './adapter';
import { NATIVE_ABI } from './native';

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

// a stand-in addon that records the count it is given and then throws, so no 'native' backend is registered
const startWith = async (threads?: number) => {
  const seen: number[] = [];
  const addon = {
    abi: NATIVE_ABI,
    setThreads: (n: number) => {
      seen.push(n);
      throw new Error('stub addon');
    },
  };
  const mod = { loadNative: () => ({ ok: true, addon, path: 'stub' }), ACTIVATIONS: {}, BINARY: {}, UNARY: {} };
  await nodeAdapter.startNative!(mod, threads).catch(() => undefined);
  return seen[0];
};

describe('native threads by default in Node', () => {
  const saved = process.env.LOGITLAB_NATIVE_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOGITLAB_NATIVE_THREADS;
    else process.env.LOGITLAB_NATIVE_THREADS = saved;
  });

  it('honours LOGITLAB_NATIVE_THREADS when the caller gives no count, and an explicit count over it', async () => {
    process.env.LOGITLAB_NATIVE_THREADS = '1';
    expect(await startWith()).toBe(1);
    expect(await startWith(2)).toBe(2);
    process.env.LOGITLAB_NATIVE_THREADS = '0';
    expect(await startWith()).toBe(nodeAdapter.hardwareThreads());
  });
});
