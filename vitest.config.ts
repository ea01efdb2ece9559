import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { sourceAliases } from './scripts/source-paths.mjs';

// Tests run against each package's src (no build needed), through the one source mapping (the packages'
// exports onto src/, scripts/source-paths.mjs); the built dist is tested separately with plain node.
const alias = sourceAliases();

// Sized for the 2-core CI machine, and for one that other processes keep busy: at most 2 workers,
// and each worker's wasm and native backends get their share of the cores instead of one thread per core each.
const cores = Math.max(1, os.availableParallelism());
const workers = Math.min(2, cores);
const wasmThreads = String(Math.max(1, Math.floor(cores / workers)));
// Slow suites (`*.slow.test.ts`: training to an accuracy; the CLI end-to-end test) run one file at a
// time AFTER the unit tests, with the whole machine's threads. Timeouts are generous (a loaded machine
// runs 3x slower) but finite, so a hang still fails.
const SLOW = ['**/*.slow.test.ts', 'apps/*/test/**/*.test.ts'];
const EXCLUDE = ['**/node_modules/**', '**/dist/**', 'apps/web/e2e/**'];

export default defineConfig({
  resolve: { alias },
  test: {
    setupFiles: ['packages/backends/test/vitest-setup.ts'],
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [...EXCLUDE, ...SLOW],
          maxWorkers: workers,
          // the native backend's OpenMP/OpenBLAS pools get the same share (spinning pools that outnumber the cores
          // made a 2-thread conv 7-30x slower than 1 thread)
          env: { LOGITLAB_WASM_THREADS: wasmThreads, LOGITLAB_NATIVE_THREADS: wasmThreads },
          testTimeout: 300_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: SLOW,
          exclude: EXCLUDE,
          fileParallelism: false,
          maxWorkers: 1,
          env: { LOGITLAB_WASM_THREADS: String(Math.min(2, cores)), LOGITLAB_NATIVE_THREADS: String(Math.min(2, cores)) },
          testTimeout: 900_000,
          hookTimeout: 900_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
