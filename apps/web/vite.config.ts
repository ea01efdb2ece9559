import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The app compiles the workspace packages from their src (as vitest does), so `vite build` never
// depends on the packages having been built first. Every package under packages/ is aliased, and so
// is each subpath its package.json exports (e.g. `@logitlab/backends/compat`), to its src entry.
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));
const packages = readdirSync(packagesDir).filter((name) => existsSync(path.join(packagesDir, name, 'package.json')));
// A package with a browser entry (what its "browser" export condition points bundlers to) uses it.
const srcEntry = (name: string, sub: string): string | undefined => {
  const candidates = sub === '' ? ['index.browser.ts', 'index.ts'] : [`${sub}.ts`, `${sub}/index.browser.ts`, `${sub}/index.ts`];
  return candidates.map((c) => path.join(packagesDir, name, 'src', c)).find((f) => existsSync(f));
};
const alias = packages.flatMap((name) => {
  const exportsMap =
    (JSON.parse(readFileSync(path.join(packagesDir, name, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> }).exports ?? {};
  const subpaths = Object.keys(exportsMap)
    .filter((k) => k.startsWith('./') && k !== './package.json')
    .map((k) => k.slice(2));
  const entries: Array<{ find: RegExp; replacement: string }> = [];
  for (const sub of ['', ...subpaths]) {
    const file = srcEntry(name, sub);
    if (file) entries.push({ find: new RegExp(`^@logitlab/${name}${sub ? `/${sub}` : ''}$`), replacement: file });
  }
  return entries;
});

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
        minify,
      },
    },
  },
  worker: { format: 'es', rolldownOptions: { output: { minify } } },
});
