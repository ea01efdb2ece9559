// @ts-check
// Real digits offline (issue 25, item 7), at a laptop's and a phone's viewport: a build made where the
// repo's shared MNIST exists ships a few hundred held-out test digits (scripts/mnist-subset.mjs) and the
// example buttons use them without a network; without them the examples say they are synthetic; a
// failed download is one line in the label. Registered by run.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

const VIEWPORTS = { desktop: { width: 1320, height: 900 }, phone: { width: 390, height: 844 } };
// where vite.config.ts looks at build time (the same folder make-weights.mjs and run.mjs use)
const mnistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/mnist');
const haveMnist = fs.existsSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz'));
const SUBSET = /\/mnist\/t10k-subset-(images-idx3|labels-idx1)-ubyte$/;
const MIRRORS = /t10k-(images-idx3|labels-idx1)-ubyte\.gz$/;

/** @param {Page} page @param {string} tab */
async function reload(page, tab) {
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector(`#page-${tab}[data-state="ready"]`);
}

/** @param {Page} page @param {string} id */
const text = (page, id) => page.$eval(id, (el) => el.textContent ?? '');

/** The network input's ink after an example button (the preview canvas, 3 screen pixels per input pixel). @param {Page} page */
const previewInk = (page) =>
  page.$eval('#page-classify canvas.preview', (c) => {
    const d = /** @type {HTMLCanvasElement} */ (c).getContext('2d')?.getImageData(0, 0, 84, 84).data;
    let s = 0;
    for (let p = 0; p < 784; p++) s += (d?.[((Math.floor(p / 28) * 3 + 1) * 84 + (p % 28) * 3 + 1) * 4] ?? 0) / 255;
    return s;
  });

/** @param {Harness} h */
export function register({ test, open, assert }) {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`real digits offline (${name}): the example buttons use the MNIST test digits the build shipped, licence beside them, no download`, async () => {
      const { page, errors } = await open('classify', { viewport });
      // nothing may leave the page's own server: the digits come with the build
      /** @type {string[]} */
      const outside = [];
      /** @type {string[]} */
      const subset = [];
      const origin = new URL(page.url()).origin;
      page.on('request', (r) => {
        if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url());
        if (SUBSET.test(r.url())) subset.push(r.url());
      });
      await reload(page, 'classify');
      await page.waitForFunction(() => (document.querySelector('#classify-bank')?.textContent ?? '').startsWith('examples: '));
      const label = await text(page, '#classify-bank');
      await page.focus('#classify-pick [data-digit="3"]');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('#classify-explain')?.getAttribute('data-target') === '3', null, {
        timeout: 120_000,
      });
      const ink = await previewInk(page);
      // only where the build shipped it: asking for a missing file is a 404, which Chromium logs as a console error
      const licence = haveMnist
        ? await page.evaluate(async () => {
            const r = await fetch('mnist/LICENSE.txt');
            return r.ok ? r.text() : `HTTP ${r.status}`;
          })
        : '';
      await page.close();
      console.log(`       ${label} (${subset.length} subset requests; the example 3's ink ${ink.toFixed(1)})`);
      assert(outside.length === 0, `requests outside the page's server: ${outside.join(', ')}`);
      assert(ink > 20, `the example 3 put ${ink} ink on the network input`);
      if (haveMnist) {
        assert(/^examples: MNIST test digits \(300 shipped with the page\)$/.test(label), `the examples say '${label}'`);
        assert(subset.length === 2, `${subset.length} requests for the shipped subset`);
        assert(/CC BY-SA 3\.0/.test(licence) && /300 digits/.test(licence), `mnist/LICENSE.txt: ${licence.slice(0, 120)}`);
      } else {
        console.log(`       (no ${mnistDir}: the build shipped no digits)`);
        assert(label.startsWith('examples: synthetic digits, not MNIST'), `without shipped digits the examples say '${label}'`);
        assert(subset.length === 0, 'the page asked for digits the build did not ship');
      }
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });

    test(`synthetic examples are named (${name}): when the shipped digits cannot be read, both pages say the examples are synthetic`, async () => {
      const { page, errors } = await open('classify', { viewport });
      await page.route(SUBSET, (route) => route.fulfill({ status: 404, body: 'gone' }));
      await reload(page, 'classify');
      await page.waitForFunction(() => (document.querySelector('#classify-bank')?.textContent ?? '').startsWith('examples: '));
      const classify = await text(page, '#classify-bank');
      await page.click('#tab-explain');
      await page.waitForSelector('#page-explain[data-state="ready"]');
      await page.waitForFunction(() => (document.querySelector('#explain-bank')?.textContent ?? '').startsWith('examples: '));
      const explain = await text(page, '#explain-bank');
      await page.close();
      assert(classify.startsWith('examples: synthetic digits, not MNIST'), `Classify says '${classify}'`);
      assert(explain.startsWith('examples: synthetic digits, not MNIST'), `Explain says '${explain}'`);
      // the refused files are the only errors (Chromium logs a failed load as one)
      const other = errors.filter((e) => !/404|Failed to load resource/.test(e));
      assert(other.length === 0, `console errors: ${other.join(' | ')}`);
    });

    test(`a failed MNIST download is one line (${name}): the label keeps the examples in use and names the failure`, async () => {
      const { page, errors } = await open('explain', { viewport });
      await page.route(MIRRORS, (route) => route.abort('connectionrefused'));
      await page.waitForFunction(() => (document.querySelector('#explain-bank')?.textContent ?? '').startsWith('examples: '));
      const before = await text(page, '#explain-bank');
      await page.click('#explain-mnist');
      await page.waitForFunction(() => /download failed/.test(document.querySelector('#explain-bank')?.textContent ?? ''), null, {
        timeout: 120_000,
      });
      const label = await text(page, '#explain-bank');
      const box = await page.locator('#explain-bank').boundingBox();
      const lineHeight = await page.$eval('#explain-bank', (el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
      const title = await page.$eval('#explain-bank', (el) => el.getAttribute('title') ?? '');
      await page.close();
      console.log(`       '${label}'`);
      assert(!label.includes('\n'), `the label holds ${label.split('\n').length} lines: ${label}`);
      assert(label.startsWith(`${before}; MNIST download failed: `), `'${label}' does not keep '${before}'`);
      assert(/could not download/.test(label) && !/https?:/.test(label), `the label is not the failure's first line: ${label}`);
      // the full report (every mirror's failure) stays available as the tooltip
      assert(title.split('\n').length > 1, `the tooltip holds '${title}'`);
      // one line of text can still wrap on a phone; it must not become a block
      assert((box?.height ?? 0) <= 4 * lineHeight, `the label is ${box?.height} px tall (line height ${lineHeight})`);
      const other = errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e));
      assert(other.length === 0, `console errors: ${other.join(' | ')}`);
    });
  }
}
