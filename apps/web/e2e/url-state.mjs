// @ts-check
// The URL holds every view setting (issue 25, item 6), at a laptop's and a phone's viewport:
// Explain's two overlay opacities and Generate's latent sliders come back from a link (the decoded
// digit identical), and a link made with weights that live only in the sender's browser (here an
// uploaded file) carries their fingerprint: the receiver is warned, the sender is not, and a
// malformed fingerprint is named, not trusted. Registered by run.mjs.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

const VIEWPORTS = { desktop: { width: 1320, height: 900 }, phone: { width: 390, height: 844 } };
const SHIPPED = fileURLToPath(new URL('../public/weights/convnet-logits.safetensors', import.meta.url));

/** FNV-1a 32, as the page's lib/weights-hash.ts (computed here from the bytes, independently). @param {Uint8Array} bytes */
function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Moves a range input as a user lets go of it. @param {Page} page @param {string} sel @param {number} value */
const slide = (page, sel, value) =>
  page.$eval(
    sel,
    (el, v) => {
      const s = /** @type {HTMLInputElement} */ (el);
      s.value = String(v);
      s.dispatchEvent(new Event('input'));
      s.dispatchEvent(new Event('change'));
    },
    value,
  );

/** @param {Page} page */
const generateView = (page) =>
  page.evaluate(() => {
    const c = /** @type {HTMLCanvasElement} */ (document.querySelector('#decoded'));
    return {
      sliders: [0, 1, 2, 3].map((i) => /** @type {HTMLInputElement} */ (document.getElementById(`z${i}`)).value).join(','),
      decoded: Array.from(c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? []).join(),
    };
  });
/** @param {Page} page */
const opacities = (page) =>
  page.$$eval('#heatmap-deep-taylor-opacity, #heatmap-sensitivity-opacity', (els) =>
    els.map((e) => /** @type {HTMLInputElement} */ (e).value).join(','),
  );
/** @param {Page} page */
const generateSettled = (page) => page.waitForFunction(() => !document.querySelector('#page-generate')?.hasAttribute('data-busy'));
/** @param {Page} page */
const banner = (page) =>
  page.$eval('#weights-link-warning', (el) => (/** @type {HTMLElement} */ (el).hidden ? '' : (el.textContent ?? '')));

/** @param {Harness} h */
export function register({ test, open, assert }) {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`view URL (${name}): Explain's overlay opacities and Generate's latent sliders come back from the link`, async () => {
      const { page, errors } = await open('generate', { viewport });
      await generateSettled(page);
      await slide(page, '#z0', 150);
      await slide(page, '#z2', -120);
      await page.waitForFunction(() => /[?&]sliders=150(,|%2C)/.test(location.hash));
      await generateSettled(page);
      const sent = await generateView(page);
      await page.click('#tab-explain');
      await page.waitForSelector('#page-explain[data-state="ready"]');
      await slide(page, '#heatmap-deep-taylor-opacity', 40);
      await slide(page, '#heatmap-sensitivity-opacity', 85);
      const sentOpacity = await opacities(page);
      const url = page.url();
      await page.close();
      const other = await open(url.slice(url.indexOf('#') + 1), { viewport });
      const gotOpacity = await opacities(other.page);
      await other.page.click('#tab-generate');
      await other.page.waitForSelector('#page-generate[data-state="ready"]');
      await other.page.waitForFunction(
        () =>
          document.querySelector('#z0')?.getAttribute('value') !== null &&
          /** @type {HTMLInputElement} */ (document.querySelector('#z0')).value === '150',
      );
      await generateSettled(other.page);
      const got = await generateView(other.page);
      await other.page.close();
      assert(sentOpacity === '40,85', `opacities before the link: ${sentOpacity}`);
      assert(gotOpacity === sentOpacity, `the link ${url} restored opacities ${gotOpacity}, not ${sentOpacity}`);
      assert(/^150,-?\d+,-120,-?\d+$/.test(sent.sliders), `sliders before the link: ${sent.sliders}`);
      assert(got.sliders === sent.sliders, `the link restored sliders ${got.sliders}, not ${sent.sliders}`);
      assert(got.decoded.length > 0 && got.decoded === sent.decoded, "the link's decoded digit differs from the sender's");
      assert(errors.length + other.errors.length === 0, `console errors: ${[...errors, ...other.errors].join(' | ')}`);
    });

    test(`weights in the URL (${name}): a link made with uploaded weights warns a receiver without them, not the sender`, async () => {
      const hash = fnv1a(fs.readFileSync(SHIPPED));
      const { page, errors } = await open('train', { viewport });
      const before = page.url();
      await page.selectOption('#train-model', 'convnet-logits');
      await page.setInputFiles('#weights-upload', SHIPPED);
      await page.waitForFunction(() => document.querySelector('#page-train')?.getAttribute('data-in-use') === 'uploaded');
      await page.waitForFunction(() => /[?&]weights=/.test(location.hash));
      const url = page.url();
      await page.reload();
      await page.waitForSelector('#page-train[data-state="ready"]');
      const senderBanner = await banner(page);
      await page.close();
      const other = await open(url.slice(url.indexOf('#') + 1), { viewport });
      const receiverBanner = await banner(other.page);
      const receiverUrl = other.page.url();
      await other.page.close();
      const hostile = await open('classify?weights=nope:12345678,convnet-logits:zz', { viewport });
      const hostileBanner = await banner(hostile.page);
      await hostile.page.close();
      assert(!/[?&]weights=/.test(before), `a page with shipped weights only put weights in its URL: ${before}`);
      assert(new RegExp(`[?&]weights=convnet-logits(:|%3A)${hash}(&|$)`).test(url), `URL after the upload: ${url} (file hash ${hash})`);
      assert(senderBanner === '', `the sender, who has the weights, was warned: '${senderBanner}'`);
      assert(
        receiverBanner.includes(`convnet-logits (${hash}): this page uses the shipped weights`) &&
          /weights you do not have/.test(receiverBanner),
        `the receiver's warning: '${receiverBanner}'`,
      );
      assert(!/[?&]weights=/.test(receiverUrl), `the receiver's URL should describe its own (shipped) weights: ${receiverUrl}`);
      assert(
        /not understood, ignored: nope:12345678, convnet-logits:zz/.test(hostileBanner),
        `a malformed weights parameter: '${hostileBanner}'`,
      );
      const all = [...errors, ...other.errors, ...hostile.errors];
      assert(all.length === 0, `console errors: ${all.join(' | ')}`);
    });
  }
}
