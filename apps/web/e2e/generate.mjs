// @ts-check
// Generate: the latent map decodes on a click, a hover and a drag, the sliders edit the code, and a
// missing weight asset makes the page train that model itself. Registered by run.mjs.
import { useBackend } from './fixtures.mjs';
import { assert } from './runner.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

/** How many times #decoded has been drawn. @param {Page} page */
const decodes = (page) => page.$eval('#decoded', (c) => Number(c.getAttribute('data-decodes') ?? 0));
/** Waits until #decoded has been drawn more than `n` times. @param {Page} page @param {number} n */
const decodedPast = (page, n) =>
  page.waitForFunction((k) => Number(document.querySelector('#decoded')?.getAttribute('data-decodes') ?? 0) > k, n);
/** @param {Page} page @param {string} [sel] */
const inkOf = (page, sel = '#decoded') => page.$eval(sel, (c) => Number(c.getAttribute('data-ink')));

/** @param {Harness} h */
export function register({ test, open, watch, newContext, shot, base }) {
  test('generate: clicking the latent map decodes', async () => {
    const { page, errors } = await open('generate');
    const before = await decodes(page);
    const box = await page.locator('#latent-map').boundingBox();
    assert(box, 'latent map not visible');
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.4);
    await decodedPast(page, before);
    const ink = await inkOf(page);
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.6);
    await decodedPast(page, before + 1);
    const ink2 = await inkOf(page);
    await shot(page, 'generate-decoded.png', { fullPage: true });
    await page.close();
    assert(Number.isFinite(ink) && ink > 0, `decoded image is empty (ink=${ink})`);
    assert(ink !== ink2, 'two different latent points decoded to the same image');
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test('a missing weight asset: the page trains that model itself and still works', async () => {
    const context = await newContext();
    const page = await context.newPage();
    page.on('close', () => void context.close().catch(() => undefined));
    const errors = watch(page);
    page.setDefaultTimeout(180_000);
    // Serve a manifest without the autoencoder, as if its asset had not been made.
    await page.route('**/weights/manifest.json', async (route) => {
      const json = await (await route.fetch()).json();
      delete json.files['autoencoder.safetensors'];
      await route.fulfill({ json, headers: { 'Cross-Origin-Resource-Policy': 'same-origin' } });
    });
    // Start on Train (loads no model), pick wasm (fast to train on), then open Generate.
    await page.goto(`${base}#train`);
    await page.waitForSelector('body[data-ready="true"]');
    await useBackend(page, 'wasm');
    await page.click('#tab-generate');
    await page.waitForSelector('#page-generate[data-state="ready"]');
    const badge = await page.$eval('#page-generate .card:nth-child(3) .badge', (el) => el.textContent);
    const ink = await inkOf(page, '#decoded-ae');
    await page.close();
    assert(badge === 'trained in page', `autoencoder badge says '${badge}', expected 'trained in page'`);
    assert(Number.isFinite(ink) && ink > 0, `the in-page autoencoder decodes nothing (ink=${ink})`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test('generate: hover and drag decode, sliders edit the code', async () => {
    const { page, errors } = await open('generate');
    const box = await page.locator('#latent-map').boundingBox();
    assert(box, 'latent map not visible');
    const before = await decodes(page);
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.3, { steps: 6 });
    await decodedPast(page, before + 1);
    const ink = await inkOf(page);
    const mid = await decodes(page);
    await page.$eval('#z0', (s) => {
      const slider = /** @type {HTMLInputElement} */ (s);
      slider.value = '250';
      slider.dispatchEvent(new Event('input'));
    });
    await decodedPast(page, mid);
    const ink2 = await inkOf(page);
    await page.close();
    assert(ink !== ink2, 'moving a latent slider did not change the decoding');
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
