import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { sourceAliases } from '../../scripts/source-paths.mjs';
import { mnistSubset } from './scripts/mnist-subset.mjs';

// The app compiles the workspace packages from their src (as vitest does), so `vite build` never
// depends on the packages having been built first: the one source mapping (each package's exports onto
// src/, scripts/source-paths.mjs), with a package's browser entry where it has one.
const alias = sourceAliases({ browser: true });

// Cross-origin isolation (SharedArrayBuffer) is what lets the threaded wasm build start workers.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// tfjs's threaded wasm ships its emscripten factory to each worker as `factory.toString()`.
// That text guards a closure variable with `typeof _scriptDir !== "undefined"`; the compressor
// knows the variable is declared and folds the guard away, so every worker dies with a
// ReferenceError and the backend never starts threaded. Mangling alone is safe (the guard
// survives under the new name); compression is what we give up, for ~6% more bytes. The training
// worker's bundle starts the same threaded build, so it gets the same setting.
const minify = { compress: false, mangle: true, codegen: { removeWhitespace: true } } as const;

// The repo's shared copy of MNIST, where make-weights.mjs and the e2e suite find it: a few hundred of its
// test digits go into the build for the example buttons (scripts/mnist-subset.mjs); nothing is committed.
const mnistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/mnist');

export default defineConfig({
  base: './',
  resolve: { alias },
  plugins: [mnistSubset({ dataDir: mnistDir })],
  server: { headers: isolation, host: '127.0.0.1' },
  preview: { headers: isolation, host: '127.0.0.1' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      output: {
        minify,
      },
    },
  },
  worker: { format: 'es', rolldownOptions: { output: { minify } } },
});
