// @ts-check
// Weights trained in the page: Stop leaves the other tabs alone, Use these weights / Revert change
// them (remembered across a reload), and a safetensors download uploads back to the same outputs,
// while a file for another model is refused. Registered by run.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { logitsHead, maxDiff, useBackend } from './fixtures.mjs';
import { assert } from './runner.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

/** Waits until the Train page says which weights are in use. @param {Page} page @param {string} weights */
const inUse = (page, weights) =>
  page.waitForFunction((w) => document.querySelector('#page-train')?.getAttribute('data-in-use') === w, weights);

/** @param {Harness} h */
export function register({ test, open, ready, drawSeven, shot, dirs }) {
  /** Trains `id` in the worker for a few steps, then stops it. @param {Page} page @param {string} id */
  async function trainAndStop(page, id, steps = 400) {
    await page.click('#tab-train');
    await ready(page, 'train');
    await page.selectOption('#train-model', id);
    await page.fill('#train-steps', String(steps));
    await page.click('#train-start');
    await page.waitForFunction(() => JSON.parse(document.querySelector('#page-train')?.getAttribute('data-losses') ?? '[]').length >= 5);
    await page.click('#train-stop');
    await page.waitForSelector('#page-train[data-train-state="stopped"]');
  }

  test('Stop / Use these weights / Revert: other tabs change only when asked, labels follow the weights', async () => {
    const { page, errors } = await open('classify');
    await useBackend(page, 'wasm');
    await drawSeven(page, '#page-classify .draw-pad');
    const shipped = await logitsHead(page);
    await trainAndStop(page, 'convnet-logits');
    await page.click('#tab-classify');
    await ready(page, 'classify');
    const afterStop = await logitsHead(page);
    await page.click('#tab-train');
    await page.click('#train-use');
    await inUse(page, 'trained in page');
    await page.click('#tab-classify');
    await page.waitForTimeout(300);
    const used = await logitsHead(page);
    // Remembered across a reload (IndexedDB), backend too.
    await page.reload();
    await ready(page, 'classify');
    const backendAfterReload = await page.evaluate(() => document.body.dataset.backend);
    // The link restored the drawing (quantised); redraw the same stroke on a blank pad to compare exactly.
    await page.click('#classify-clear');
    await drawSeven(page, '#page-classify .draw-pad');
    await page.waitForTimeout(300);
    const reloaded = await logitsHead(page);
    await page.click('#tab-train');
    await ready(page, 'train');
    await page.selectOption('#train-model', 'convnet-logits');
    await page.click('#weights-revert');
    await inUse(page, 'pretrained');
    await page.click('#tab-classify');
    await page.waitForTimeout(300);
    const reverted = await logitsHead(page);
    await shot(page, 'classify-reverted.png', { fullPage: true });
    await page.close();
    assert(
      maxDiff(afterStop.outputs, shipped.outputs) === 0,
      `Stop changed the Classify outputs by ${maxDiff(afterStop.outputs, shipped.outputs)}`,
    );
    assert(
      afterStop.accuracy === shipped.accuracy && /MNIST/.test(shipped.accuracy ?? ''),
      `label '${afterStop.accuracy}' vs '${shipped.accuracy}'`,
    );
    assert(maxDiff(used.outputs, shipped.outputs) > 1e-3, 'Use these weights did not change the outputs');
    assert(
      used.source === 'trained in page' && /measured in this page/.test(used.accuracy ?? ''),
      `after Use: '${used.source}', '${used.accuracy}'`,
    );
    assert(backendAfterReload === 'wasm', `backend after reload: ${backendAfterReload}`);
    assert(reloaded.source === 'trained in page', `after reload the weights are '${reloaded.source}'`);
    assert(
      reverted.source === 'pretrained' && reverted.accuracy === shipped.accuracy,
      `after Revert: '${reverted.source}', '${reverted.accuracy}'`,
    );
    assert(maxDiff(reverted.outputs, shipped.outputs) < 1e-5, `Revert left outputs off by ${maxDiff(reverted.outputs, shipped.outputs)}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test('weights round-trip through a safetensors download and upload', async () => {
    const { page, errors } = await open('classify');
    await useBackend(page, 'wasm');
    await drawSeven(page, '#page-classify .draw-pad');
    const shipped = await logitsHead(page);
    await page.click('#tab-train');
    await ready(page, 'train');
    await page.selectOption('#train-model', 'convnet-logits');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#weights-download')]);
    const file = path.join(dirs.downloads, download.suggestedFilename());
    await download.saveAs(file);
    // Replace the weights in use, then upload the downloaded file.
    await trainAndStop(page, 'convnet-logits');
    await page.click('#train-use');
    await inUse(page, 'trained in page');
    await page.setInputFiles('#weights-upload', file);
    await inUse(page, 'uploaded');
    // A file for another model is refused and changes nothing.
    const wrong = path.join(dirs.downloads, 'explainer.safetensors');
    fs.copyFileSync(path.join(dirs.app, 'public/weights/explainer.safetensors'), wrong);
    await page.setInputFiles('#weights-upload', wrong);
    await page.waitForFunction(() => /not loaded/.test(document.querySelector('#weights-note')?.textContent ?? ''));
    await page.click('#tab-classify');
    await page.waitForTimeout(300);
    const uploaded = await logitsHead(page);
    await page.close();
    // The file is what PyTorch's safetensors reads: 8-byte header length, JSON header, F32 tensors in PyTorch layout.
    const bytes = fs.readFileSync(file);
    const n = Number(bytes.readBigUInt64LE(0));
    /** @type {Record<string, { dtype: string, shape: number[], data_offsets: [number, number] }>} */
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
    const conv1 = header['conv1.weight'];
    assert(download.suggestedFilename() === 'convnet-logits.safetensors', `file name ${download.suggestedFilename()}`);
    assert(conv1 && conv1.dtype === 'F32' && conv1.shape.join('x') === '10x1x5x5', `conv1.weight header: ${JSON.stringify(conv1)}`);
    const end = Math.max(
      ...Object.entries(header)
        .filter(([k]) => k !== '__metadata__')
        .map(([, v]) => v.data_offsets[1]),
    );
    assert(8 + n + end === bytes.length, `header offsets end at ${8 + n + end}, file has ${bytes.length} bytes`);
    assert(uploaded.source === 'uploaded', `after upload the weights are '${uploaded.source}'`);
    assert(
      maxDiff(uploaded.outputs, shipped.outputs) < 1e-5,
      `uploaded weights give outputs off by ${maxDiff(uploaded.outputs, shipped.outputs)}`,
    );
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
