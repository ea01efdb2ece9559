import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = ['backends', 'core', 'datasets', 'layers', 'losses', 'metrics', 'models', 'native', 'train', 'explain'];
// Tests run against each package's src (no build needed); the built dist is tested separately with plain node.
// Subpath entries come first: an alias also matches `<name>/...`, so the package alias would swallow them.
const alias = Object.fromEntries([
  ['@logitlab/core/node', fileURLToPath(new URL('./packages/core/src/node/index.ts', import.meta.url))],
  ['@logitlab/train/node', fileURLToPath(new URL('./packages/train/src/node/index.ts', import.meta.url))],
  ...packages.map((name) => [`@logitlab/${name}`, fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url))]),
]);

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'scripts/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'apps/web/e2e/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['scripts/vitest-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
