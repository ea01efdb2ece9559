// @ts-check
// Train: the worker's fit replays its compiled step, on cpu and on wasm. The worker posts fit's own
// counts (ctx.compilation) after every step; the page shows them in #train-compile and as data-*. If a
// recipe stopped being replayable, or every step fell back, this fails instead of the page silently
// training eagerly. The eager line (no model in the UI trains
// eagerly) is tested in src/train/replay-line.test.ts. Registered by run.mjs.
import { useBackend } from './fixtures.mjs';
import { assert } from './runner.mjs';

/** @typedef {import('./harness.mjs').Harness} Harness */

// Enough for the warm-up step, a trace refused by the loss's first-calls pitfall read, and its retrace,
// with replays after them; few enough for a cpu convnet on a busy 2-core machine.
const STEPS = 12;

/** @param {Harness} h */
export function register({ test, open }) {
  // The convnet on both worker backends; the explainer too (its pairs data, its bias projection after
  // every step), which could not train in the page before its loader's targets got the shape [1].
  for (const { backend, model } of [
    { backend: 'cpu', model: 'convnet-logits' },
    { backend: 'wasm', model: 'convnet-logits' },
    { backend: 'wasm', model: 'explainer' },
  ]) {
    test(`train compiled on ${backend}, ${model}: the worker replays its steps (replays > 0) and the page says so`, async () => {
      const { page, errors } = await open('train');
      await useBackend(page, backend);
      await page.selectOption('#train-model', model);
      await page.fill('#train-steps', String(STEPS));
      await page.click('#train-start');
      await page.waitForSelector('#page-train[data-train-state="done"]', { timeout: 420_000 });
      const seen = await page.$eval('#page-train', (el) => ({
        backend: el.getAttribute('data-worker-backend'),
        state: el.getAttribute('data-compile-state'),
        replayed: Number(el.getAttribute('data-replayed-steps')),
        steps: Number(el.getAttribute('data-compile-steps')),
        fallbacks: JSON.parse(el.getAttribute('data-compile-fallbacks') ?? 'null'),
        line: document.querySelector('#train-compile')?.textContent ?? '',
      }));
      await page.close();
      console.log(`  ${backend}, ${model}: ${seen.line}`);
      assert(seen.backend === backend, `the worker trained on ${seen.backend}, not ${backend}`);
      assert(seen.steps === STEPS, `the replay report counted ${seen.steps} steps, not ${STEPS}`);
      assert(seen.replayed > 0 && seen.replayed < STEPS, `replayed ${seen.replayed} of ${STEPS} steps (the first is always eager)`);
      // the loss's first-call pitfall checks read the host, which refuses the first traces: reasons about that only
      assert(
        Array.isArray(seen.fallbacks) && seen.fallbacks.every((/** @type {string} */ f) => f.startsWith('a host read')),
        `fit ran steps eagerly for: ${JSON.stringify(seen.fallbacks)}`,
      );
      assert(seen.state === 'compiled', `compile state ${seen.state}, not compiled`);
      assert(seen.line.startsWith(`compiled: ${seen.replayed} of ${STEPS} steps replayed`), `the page's line reads "${seen.line}"`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });
  }
}
