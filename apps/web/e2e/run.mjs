#!/usr/bin/env node
// @ts-check
// End-to-end tests of the PRODUCTION build (apps/web/dist, made by `pnpm build`) in Debian's
// Chromium: `node apps/web/e2e/run.mjs [test-name filters]`. harness.mjs serves the build and owns the
// browser; each page file registers its tests with `register(harness)`. Prints `e2e: N passed,
// N failed` and exits non-zero on any failure.
import fs from 'node:fs';
import path from 'node:path';
import { shots, startHarness } from './harness.mjs';
import { run } from './runner.mjs';

const only = process.argv.slice(2); // optional test-name filters
const { harness, close } = await startHarness();

// ---------- the page files, each a `register(harness)`; a new one is one entry here ----------
for (const suite of [
  './shell.mjs',
  './classify.mjs',
  './explain.mjs',
  './generate.mjs',
  './train.mjs',
  './backends.mjs',
  './accessibility.mjs',
  './train-fps.mjs',
  './weights.mjs',
  './url.mjs',
  './classify-heatmaps.mjs',
  './generate-vae.mjs',
  './first-minutes.mjs',
  './correct-maps.mjs',
  './keyboard-touch.mjs',
  './train-controls.mjs',
  './url-state.mjs',
  './touch-targets.mjs',
  './your-model.mjs',
  './real-digits.mjs',
  './linked-menus.mjs',
  './train-compiled.mjs',
])
  (await import(suite)).register(harness);

const { passed, failed } = await run(only);
await close();

// Committed copies for the README (screenshots of each page, as left by this run).
if (process.env.E2E_UPDATE_DOCS) {
  const docs = path.join(harness.dirs.repo, 'docs/screenshots');
  fs.mkdirSync(docs, { recursive: true });
  for (const f of [
    'classify-drawn.png',
    'explain-picked.png',
    'generate-decoded.png',
    'train-done.png',
    'phone-classify.png',
    'phone-explain.png',
    'generate-vae-mlp.png',
  ]) {
    if (fs.existsSync(path.join(shots, f))) fs.copyFileSync(path.join(shots, f), path.join(docs, f));
  }
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
