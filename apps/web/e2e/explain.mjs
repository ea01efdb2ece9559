// @ts-check
// Explain: picking two digits gives a non-empty heatmap whose relevance sums to the output, and the
// real MNIST picker digits come through the datasets loader (checksummed, cached). Registered by run.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { settled } from './fixtures.mjs';
import { assert } from './runner.mjs';

/** @typedef {import('./harness.mjs').Harness} Harness */

/** @param {Harness} h */
export function register({ test, open, ready, renders, nextRender, shot, newContext, dirs }) {
  test('explain: non-empty heatmap, conservation within 1e-3', async () => {
    const { page, errors } = await open('explain');
    const n = await renders(page, 'explain');
    await page.click('#pick-left [data-digit="3"]');
    await page.click('#pick-right [data-digit="7"]');
    await nextRender(page, 'explain', n);
    await settled(page, 'explain');
    const d = await page.$eval('#page-explain', (el) => ({ ...el.dataset }));
    await shot(page, 'explain-picked.png', { fullPage: true });
    await page.close();
    assert(Number(d.lit) > 0, `heatmap is empty (lit=${d.lit})`);
    const out = Number(d.output);
    const total = Number(d.relevanceSum);
    assert(Number.isFinite(out) && Number.isFinite(total), `bad numbers: output=${d.output} sum=${d.relevanceSum}`);
    const rel = Math.abs(total - out) / Math.max(Math.abs(out), 1e-6);
    assert(out <= 0 || rel < 1e-3, `conservation off: sum R = ${total}, f(x) = ${out}, rel ${rel}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  // The mirrors are served from the repo's shared copy of MNIST (no network); skipped without it.
  const mnistDir = path.resolve(dirs.repo, '../shared/data/mnist');
  const haveMnist = fs.existsSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz'));
  test('explain: real MNIST picker digits through the datasets loader (checksummed, cached), labelled', async () => {
    if (!haveMnist) {
      console.log(`  SKIPPED: needs ${mnistDir}/t10k-*-ubyte.gz`);
      return;
    }
    const context = await newContext();
    let served = 0;
    await context.route(/t10k-(images-idx3|labels-idx1)-ubyte\.gz$/, (route) => {
      served++;
      const name = new URL(route.request().url()).pathname.split('/').pop() ?? '';
      return route.fulfill({
        body: fs.readFileSync(path.join(mnistDir, name)),
        headers: {
          'Content-Type': 'application/octet-stream',
          'Access-Control-Allow-Origin': '*',
          'Cross-Origin-Resource-Policy': 'cross-origin',
        },
      });
    });
    const { page, errors } = await open('explain', { context });
    const before = await page.$eval('#explain-bank', (el) => el.textContent);
    await page.click('#explain-mnist');
    await page.waitForFunction(
      () => /^examples: (MNIST test digits$|synthetic)/.test(document.querySelector('#explain-bank')?.textContent ?? ''),
      null,
      { timeout: 120_000 },
    );
    const label = await page.$eval('#explain-bank', (el) => el.textContent);
    assert(/^examples: MNIST test digits$/.test(label ?? ''), `after the download the label says '${label}' (${served} files served)`);
    const n = await renders(page, 'explain');
    await page.click('#pick-left [data-digit="0"]');
    await page.click('#pick-right [data-digit="8"]');
    await nextRender(page, 'explain', n);
    await settled(page, 'explain');
    const d = await page.$eval('#page-explain', (el) => ({ ...el.dataset }));
    // A reload finds the files in the loader's cache: MNIST again, nothing fetched.
    const fetched = served;
    await page.reload();
    await ready(page, 'explain');
    const after = await page.$eval('#explain-bank', (el) => el.textContent);
    await page.close();
    await context.close();
    assert(/synthetic|shipped with the page/.test(before ?? ''), `before download the label says '${before}'`);
    assert(Number(d.output) > 50 && Number(d.leftShare) > 0.5, `0 + 8 from MNIST: f = ${d.output}, left share ${d.leftShare}`);
    assert(/MNIST test digits/.test(after ?? '') && served === fetched, `after reload: '${after}', ${served - fetched} more downloads`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
