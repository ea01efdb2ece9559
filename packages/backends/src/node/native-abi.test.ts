// An addon built with another calling convention (a stale build, or mismatched @logitlab/native and
// @logitlab/backends versions) is refused with the reason, before any kernel is registered.
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../errors';
import { nodeAdapter } from './adapter';
import { NATIVE_ABI } from './native';

const moduleWith = (abi: number | undefined, seen: number[]) => ({
  loadNative: () => ({ ok: true, addon: { abi, setThreads: (n: number) => seen.push(n) }, path: 'stub' }),
  ACTIVATIONS: {},
  BINARY: {},
  UNARY: {},
});

describe('the native addon calling convention', () => {
  it('refuses an addon of another convention (or none) without touching it', async () => {
    for (const abi of [undefined, NATIVE_ABI - 1, NATIVE_ABI + 1]) {
      const seen: number[] = [];
      const started = nodeAdapter.startNative!(moduleWith(abi, seen), 1);
      await expect(started).rejects.toThrow(BackendUnavailableError);
      await expect(started).rejects.toThrow(`calling convention ${abi ?? 1}, @logitlab/backends needs ${NATIVE_ABI}`);
      expect(seen).toEqual([]);
    }
  });
});
