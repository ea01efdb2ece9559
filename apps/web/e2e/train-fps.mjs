// @ts-check
// Training runs in a worker, so the page keeps drawing frames while it trains, on cpu and on wasm.
// The bar is 50 ms at the 95th percentile, or twice the same page's idle p95 when the machine itself
// cannot draw at 50 fps (a shared CI machine under load): a training step on the main thread blocks
// frames for hundreds of milliseconds to seconds, which either bar catches. Registered by run.mjs.
import { lossCount, useBackend } from './fixtures.mjs';
import { assert } from './runner.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

/** rAF intervals (ms) over `ms` milliseconds. @param {Page} page @param {number} ms @returns {Promise<number[]>} */
const frameIntervals = (page, ms) =>
  page.evaluate(
    (d) =>
      new Promise((resolve) => {
        /** @type {number[]} */
        const out = [];
        let last = performance.now();
        const end = last + d;
        const f = (/** @type {number} */ now) => {
          out.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(f);
          else resolve(out);
        };
        requestAnimationFrame(f);
      }),
    ms,
  );
/** @param {number[]} xs */
// oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(0.95 * (xs.length - 1))] ?? Number.NaN;

/** @param {Harness} h */
export function register({ test, open }) {
  for (const backend of ['cpu', 'wasm']) {
    test(`train on ${backend}: the page keeps its frame rate (p95 interval <= 50 ms, or 2x idle on a busy machine) while the worker trains`, async () => {
      const { page, errors } = await open('train');
      await useBackend(page, backend);
      await page.selectOption('#train-model', 'convnet-logits');
      await page.fill('#train-steps', '5000');
      const idle = p95(await frameIntervals(page, 3000));
      const bar = Math.max(50, 2 * idle);
      await page.click('#train-start');
      await page.waitForFunction(
        () => JSON.parse(document.querySelector('#page-train')?.getAttribute('data-losses') ?? '[]').length >= 2,
        null,
        { timeout: 180_000 },
      );
      const stepsBefore = await lossCount(page);
      // At least 5 s, and until a step lands meanwhile (a cpu step takes seconds on a loaded machine).
      const intervals = [];
      let stepsAfter = stepsBefore;
      for (let chunk = 0; chunk < 8 && (chunk === 0 || stepsAfter === stepsBefore); chunk++) {
        intervals.push(...(await frameIntervals(page, 5000)));
        stepsAfter = await lossCount(page);
      }
      const worker = await page.$eval('#page-train', (el) => ({
        backend: el.getAttribute('data-worker-backend'),
        rate: Number(el.getAttribute('data-steps-per-sec')),
      }));
      await page.click('#train-stop');
      await page.waitForSelector('#page-train[data-train-state="stopped"]', { timeout: 180_000 });
      await page.close();
      const q = p95(intervals);
      console.log(
        `  ${backend}: ${intervals.length} frames in ${(intervals.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s, p95 interval ${q.toFixed(1)} ms (idle ${idle.toFixed(1)} ms, bar ${bar.toFixed(1)} ms), max ${Math.max(...intervals).toFixed(0)} ms; ${stepsAfter - stepsBefore} steps meanwhile (${worker.rate} steps/s on ${worker.backend})`,
      );
      assert(worker.backend === backend, `the worker trained on ${worker.backend}, not ${backend}`);
      assert(stepsAfter > stepsBefore, 'no training steps while frames were measured');
      assert(q <= bar, `p95 frame interval ${q.toFixed(1)} ms > ${bar.toFixed(1)} ms (idle p95 ${idle.toFixed(1)} ms)`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });
  }
}
