import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The app compiles the workspace packages from their src (as vitest does), so `vite build` never
// depends on the packages having been built first.
const packages = ['backends', 'datasets', 'layers', 'losses', 'metrics', 'models', 'train', 'explain'];
// A package with a browser entry (what its "browser" export condition points bundlers to) uses it.
const src = (name: string, file: string): string => fileURLToPath(new URL(`../../packages/${name}/src/${file}`, import.meta.url));
const alias = Object.fromEntries(
  packages.map((name) => [`@logitlab/${name}`, existsSync(src(name, 'index.browser.ts')) ? src(name, 'index.browser.ts') : src(name, 'index.ts')]),
);

// Cross-origin isolation (SharedArrayBuffer) is what lets the threaded wasm build start workers.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  resolve: { alias },
  server: { headers: isolation, host: '127.0.0.1' },
  preview: { headers: isolation, host: '127.0.0.1' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      output: {
        // tfjs's threaded wasm ships its emscripten factory to each worker as `factory.toString()`.
        // That text guards a closure variable with `typeof _scriptDir !== "undefined"`; the compressor
        // knows the variable is declared and folds the guard away, so every worker dies with a
        // ReferenceError and the backend never starts threaded. Mangling alone is safe (the guard
        // survives under the new name); compression is what we give up, for ~6% more bytes.
        minify: { compress: false, mangle: true, codegen: { removeWhitespace: true } },
      },
    },
  },
  worker: { format: 'es' },
});
