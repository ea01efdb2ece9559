import { defineConfig } from 'tsup';

// The CLI is one ESM file for plain `node`. Workspace packages and tfjs stay external so the app and
// the libraries share ONE tfjs engine (the one @logitlab/backends registers kernels and gradients on).
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  sourcemap: true,
  // commands are dynamic imports in their own chunks: `--help` and flag errors never load tfjs
  splitting: true,
  banner: { js: '#!/usr/bin/env node' },
  external: [/^@logitlab\//, /^@tensorflow\//],
});
