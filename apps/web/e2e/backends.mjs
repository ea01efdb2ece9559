// @ts-check
// The four backends agree on the drawn digit, and wasm runs its threaded build (the page is
// cross-origin isolated). Registered by run.mjs.
import { settled, topPrediction } from './fixtures.mjs';
import { assert } from './runner.mjs';

/** @typedef {import('./harness.mjs').Harness} Harness */

/** @param {Harness} h */
export function register({ test, open, drawSeven, renders, nextRender }) {
  test('backends: cpu, wasm, webgl, webgpu agree on the top prediction; wasm runs threaded', async () => {
    const { page, errors } = await open('classify', { cores: 4 });
    await drawSeven(page, '#page-classify .draw-pad');
    await settled(page, 'classify');
    /** @type {Record<string, number>} */
    const tops = {};
    let wasmThreads = 0;
    for (const name of ['cpu', 'wasm', 'webgl', 'webgpu']) {
      const n = await renders(page, 'classify');
      await page.selectOption('#backend-select', name);
      await page.waitForFunction((b) => document.body.dataset.backend === b, name, { timeout: 60_000 });
      await nextRender(page, 'classify', n);
      await settled(page, 'classify');
      tops[name] = await topPrediction(page);
      if (name === 'wasm') wasmThreads = Number(await page.evaluate(() => document.body.dataset.threads));
    }
    const isolated = await page.evaluate(() => crossOriginIsolated);
    await page.close();
    console.log(`  top predictions: ${JSON.stringify(tops)}; wasm threads: ${wasmThreads}; isolated: ${isolated}`);
    assert(new Set(Object.values(tops)).size === 1, `backends disagree: ${JSON.stringify(tops)}`);
    assert(isolated, 'page is not cross-origin isolated');
    assert(wasmThreads > 1, `wasm backend runs ${wasmThreads} thread(s); the threaded build did not start`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
