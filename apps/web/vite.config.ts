import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The app compiles the workspace packages from their src (as vitest does), so `vite build` never
// depends on the packages having been built first.
const packages = ['backends', 'datasets', 'layers', 'losses', 'metrics', 'models', 'train'];
// backends has a browser entry (what its "browser" export condition points bundlers to).
const entry = (name: string): string => (name === 'backends' ? 'index.browser.ts' : 'index.ts');
const alias = Object.fromEntries(
  packages.map((name) => [`@logitlab/${name}`, fileURLToPath(new URL(`../../packages/${name}/src/${entry(name)}`, import.meta.url))]),
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
        // Mangling breaks tfjs's threaded wasm: the emscripten factory is shipped to each worker as
        // `factory.toString()`, and that text refers to a closure variable (`_scriptDir`) by name.
        // Renamed, the worker throws a ReferenceError and the backend falls back to one thread.
        // Whitespace and dead code are still removed.
        minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } },
      },
    },
  },
  worker: { format: 'es' },
});
