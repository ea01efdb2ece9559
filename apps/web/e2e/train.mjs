// @ts-check
// Train: runs in the worker pause, resume and finish with a falling loss (the convnet and the
// hidden-layer VAE), softmax and sigmoid runs show the pitfall warning, and earlier runs stay on the
// chart. Registered by run.mjs; the frame-rate checks while the worker trains are in train-fps.mjs.
import { lossCount, losses, mean, useBackend } from './fixtures.mjs';
import { assert } from './runner.mjs';

/** @typedef {import('./harness.mjs').Harness} Harness */

/** @param {Harness} h */
export function register({ test, open, shot }) {
  test('train: 20 steps, the loss falls', async () => {
    const { page, errors } = await open('train');
    // wasm: the backend the library made trainable, and far faster than a software webgpu.
    await useBackend(page, 'wasm');
    await page.selectOption('#train-model', 'convnet-logSoftmax');
    await page.fill('#train-steps', '20');
    await page.click('#train-start');
    // Pause mid-run: no steps while paused, then resume to the end.
    await page.waitForFunction(() => JSON.parse(document.querySelector('#page-train')?.getAttribute('data-losses') ?? '[]').length >= 3);
    await page.click('#train-pause');
    await page.waitForSelector('#page-train[data-train-state="paused"]');
    await page.waitForTimeout(300); // a step already in flight may still land
    const atPause = await lossCount(page);
    await page.waitForTimeout(1500);
    const stillPaused = await lossCount(page);
    await page.click('#train-pause');
    await page.waitForSelector('#page-train[data-train-state="done"]', { timeout: 300_000 });
    assert(stillPaused === atPause, `training advanced while paused: ${atPause} -> ${stillPaused} steps`);
    const logged = await losses(page);
    await shot(page, 'train-paused-resumed.png', { fullPage: true });
    await page.close();
    assert(logged.length === 20, `expected 20 losses, got ${logged.length}`);
    const head = mean(logged.slice(0, 5));
    const tail = mean(logged.slice(-5));
    assert(tail < head, `loss did not fall: first 5 mean ${head}, last 5 mean ${tail}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test('train: softmax and sigmoid runs show the pitfall warning; earlier runs stay on the chart', async () => {
    const { page, errors } = await open('train');
    await useBackend(page, 'wasm');
    /** @type {Record<string, string>} */
    const warned = {};
    for (const head of ['softmax', 'sigmoid', 'logits']) {
      await page.selectOption('#train-model', `convnet-${head}`);
      await page.fill('#train-steps', '12');
      await page.click('#train-start');
      await page.waitForSelector('#page-train[data-train-state="done"]', { timeout: 300_000 });
      warned[head] = await page.$eval('#train-warnings', (el) => el.textContent ?? '');
    }
    const datasets = await page.evaluate(() => {
      const c = /** @type {HTMLCanvasElement | undefined} */ ([...document.querySelectorAll('#loss-chart')][0]);
      /** @type {{ Chart?: { getChart?: (c: HTMLCanvasElement) => { data: { datasets: unknown[] } } | undefined } }} */
      const w = /** @type {never} */ (window);
      return c ? (w.Chart?.getChart?.(c)?.data.datasets.length ?? Number(c.dataset.runs ?? 0)) : 0;
    });
    const runs = await page.$eval('#page-train', (el) => Number(el.getAttribute('data-runs') ?? 0));
    await shot(page, 'train-done.png', { fullPage: true });
    await page.close();
    assert(/nllLoss/.test(warned.softmax ?? ''), `softmax run: no pitfall warning (${warned.softmax})`);
    assert(/nllLoss/.test(warned.sigmoid ?? ''), `sigmoid run: no pitfall warning (${warned.sigmoid})`);
    assert(warned.logits === '', `logits run warned: ${warned.logits}`);
    assert(runs === 3, `chart holds ${runs} runs (datasets ${datasets})`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test('train: the hidden-layer VAE ([0, 1] pixels, BCE) trains in the worker, the loss falls', async () => {
    const { page, errors } = await open('train?backend=wasm');
    await page.selectOption('#train-model', 'vae-mlp');
    await page.fill('#train-steps', '30');
    await page.click('#train-start');
    await page.waitForSelector('#page-train[data-train-state="done"]', { timeout: 300_000 });
    const logged = await losses(page);
    await page.close();
    assert(logged.length === 30 && logged.every(Number.isFinite), `losses ${JSON.stringify(logged)}`);
    assert(mean(logged.slice(-5)) < mean(logged.slice(0, 5)), `vae-mlp loss did not fall: ${logged.slice(0, 5)} ... ${logged.slice(-5)}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
