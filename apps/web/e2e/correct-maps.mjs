// @ts-check
// Maps that mean what they show (issue 25, item 4), at a laptop's and a phone's viewport: Grad-CAM's
// cells placed on their receptive fields (the border unpadded convolutions lose is not stretched), an explanation computed on
// another backend says so, and webgl's maps equal wasm's. Registered by run.mjs.

import { maxPoolTieCheck } from './max-pool-tie-check.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

const VIEWPORTS = { desktop: { width: 1320, height: 900 }, phone: { width: 390, height: 844 } };

/** @param {Page} page */
const settled = (page) => page.waitForFunction(() => !document.querySelector('#page-classify')?.hasAttribute('data-busy'));

/** @param {Page} page @param {string} method */
async function useMethod(page, method) {
  await page.selectOption('#classify-method', method);
  await page.waitForFunction((m) => document.querySelector('#classify-explain')?.getAttribute('data-method') === m, method);
  await settled(page);
}

/** @param {Page} page @param {string} backend */
async function useBackend(page, backend) {
  await page.selectOption('#backend-select', backend);
  await page.waitForFunction((b) => document.body.dataset.backend === b, backend, { timeout: 120_000 });
  // the switch re-renders; wait for the explanation made on it
  await page.waitForFunction((b) => document.querySelector('#classify-explain')?.getAttribute('data-page-backend') === b, backend, {
    timeout: 120_000,
  });
  await settled(page);
}

/** @param {Page} page */
const relevance = (page) => page.$eval('#classify-heatmap', (c) => (c.getAttribute('data-relevance') ?? '').split(',').map(Number));

/**
 * Counts conv1's 2 x 2 max-pool windows whose maximum is tied (the suspect for backends' differing
 * maps: each backend's max-pool gradient picks its own winner of a tie). conv1 runs on the network
 * input as the preview shows it (8-bit, exact where the drawing is saturated).
 * @param {Page} page
 */
const poolTies = (page) =>
  page.evaluate(async () => {
    const { tf, getModel } = /** @type {any} */ (window).logitlab;
    const { model } = await getModel('convnet-logits');
    const c = /** @type {HTMLCanvasElement} */ (document.querySelector('#page-classify canvas.preview'));
    const d = c.getContext('2d')?.getImageData(0, 0, 84, 84).data;
    const px = Float32Array.from({ length: 784 }, (_, p) => (d?.[((Math.floor(p / 28) * 3 + 1) * 84 + (p % 28) * 3 + 1) * 4] ?? 0) / 255);
    const x = tf.tensor4d(
      px.map((v) => (v - 0.1307) / 0.3081),
      [1, 28, 28, 1],
    );
    const y = model.conv1.call(x);
    const v = /** @type {Float32Array} */ (await y.data());
    tf.dispose([x, y]);
    let ties = 0;
    let windows = 0;
    for (let ch = 0; ch < 10; ch++)
      for (let i = 0; i < 12; i++)
        for (let j = 0; j < 12; j++) {
          const w = [0, 1].flatMap((a) => [0, 1].map((b) => v[((2 * i + a) * 24 + 2 * j + b) * 10 + ch] ?? 0));
          const m = Math.max(...w);
          windows++;
          if (w.filter((q) => q === m).length > 1) ties++;
        }
    return { ties, windows };
  });

/** A share as the page's captions print it. @param {number} v */
const pct = (v) => `${Math.round(v * 100)}%`;

/** Does the readout show pixel (14, 10) with the map's value there? @param {{ text: string, value: number }} r */
const readsPixel = (r) => {
  const shown = Number(/^pixel \(14, 10\): R = (-?[\d.e+-]+)$/.exec(r.text)?.[1]);
  return Math.abs(shown - r.value) <= 1e-4 * Math.max(1, Math.abs(r.value));
};

/** @param {Page} page @param {string} selector */
async function press(page, selector) {
  await page.focus(selector);
  await page.keyboard.press('Enter');
}

/** @param {Harness} h */
export function register({ test, open, assert, drawSeven }) {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`Grad-CAM (${name}): each conv2 cell sits on its receptive field, so the border unpadded convolutions lose is not stretched`, async () => {
      const { page, errors } = await open('classify', { viewport });
      await drawSeven(page, '#page-classify .draw-pad');
      await settled(page);
      await useMethod(page, 'gradCam');
      const cam = await relevance(page);
      const caption = await page.$eval('#classify-caption', (el) => el.textContent ?? '');
      const measured = await page.evaluate(async () => (await fetch('weights/gradcam-peaks.json')).json());
      // The network's input as the page shows it: the 84 x 84 preview, 3 screen pixels per input pixel.
      const input = await page.$eval('#page-classify canvas.preview', (c) => {
        const d = /** @type {HTMLCanvasElement} */ (c).getContext('2d')?.getImageData(0, 0, 84, 84).data;
        return Array.from({ length: 784 }, (_, p) => (d?.[((Math.floor(p / 28) * 3 + 1) * 84 + (p % 28) * 3 + 1) * 4] ?? 0) / 255);
      });
      await page.close();
      // conv2's cells sit at 6.5 + 2i (unpadded 5 x 5 convolutions and a 2 x 2 pool): rows and columns
      // 0-6 are clamped to the first cells. The stretched map (cells at 1.25 + 3.5i) varies there.
      const row = (/** @type {number} */ y) => cam.slice(y * 28, y * 28 + 28).join();
      const clamped = [1, 2, 3, 4, 5, 6].every((y) => row(y) === row(0)) && cam.every((v, p) => p % 28 > 6 || v === cam[p - (p % 28)]);
      const on = input.map((v) => v > 0.3);
      const mean = (/** @type {boolean} */ ink) => {
        const vs = cam.filter((_, p) => on[p] === ink);
        return vs.reduce((a, b) => a + b, 0) / Math.max(1, vs.length);
      };
      const peak = cam.indexOf(Math.max(...cam));
      console.log(
        `       Grad-CAM: mean on the stroke ${mean(true).toExponential(2)}, off it ${mean(false).toExponential(2)}; peak at (${peak % 28}, ${Math.floor(peak / 28)}), input there ${input[peak]?.toFixed(2)}`,
      );
      assert(Math.max(...cam) > 0, 'Grad-CAM is empty');
      assert(clamped, 'the Grad-CAM border is not clamped to the first cells: the map is stretched over the input');
      // Not asserted: that the peak lies on the stroke. Each conv2 cell sees 14 x 14 pixels, and its peak
      // cell is centred on ink about as often as any cell (scripts/gradcam-peaks.mjs over 300 held-out
      // MNIST digits): the caption says so with those numbers, which is what is checked.
      assert(
        caption.includes(`on ${measured.digits} held-out MNIST digits its peak lies on ink for ${pct(measured.peakOnInk.page)}`) &&
          caption.includes(`a random pixel ${pct(measured.peakOnInk.randomPixel)}`) &&
          caption.includes(`(${pct(measured.peakCellCentreOnInk.conv2)} vs ${pct(measured.peakCellCentreOnInk.conv2Chance)}`),
        `the Grad-CAM caption does not quote gradcam-peaks.json: '${caption}'`,
      );
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });

    test(`backend fallback (${name}): on webgpu the explanation says it was computed on wasm; on wasm it says nothing`, async () => {
      const { page, errors } = await open('classify', { viewport });
      await drawSeven(page, '#page-classify .draw-pad');
      await settled(page);
      const note = () => page.$eval('#classify-fallback', (el) => (/** @type {HTMLElement} */ (el).hidden ? '' : (el.textContent ?? '')));
      await useBackend(page, 'webgpu');
      const onWebgpu = { note: await note(), by: await page.$eval('#classify-explain', (el) => el.getAttribute('data-backend')) };
      await useBackend(page, 'wasm');
      const onWasm = await note();
      await page.close();
      assert(
        onWebgpu.by === 'wasm' && /^Explanation computed on wasm: .*webgpu cannot/.test(onWebgpu.note),
        `on webgpu: ${JSON.stringify(onWebgpu)}`,
      );
      assert(onWasm === '', `on wasm the fallback note says '${onWasm}'`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });
  }

  // The readout under the heatmap: the value of the map shown, at the pixel under the mouse; it follows a
  // new map while the mouse rests, and a mouse that leaves clears it (issue 25: it did not clear).
  test("hover readout: the map's value under the mouse, updated with a new map, cleared when the mouse leaves", async () => {
    const { page, errors } = await open('classify');
    await drawSeven(page, '#page-classify .draw-pad');
    await settled(page);
    const box = await page.locator('#classify-heatmap').boundingBox();
    if (!box) throw new Error('#classify-heatmap has no box');
    await page.mouse.move(box.x + (14.5 / 28) * box.width, box.y + (10.5 / 28) * box.height);
    const read = () =>
      page.$eval('#classify-heatmap', (c) => ({
        text: document.querySelector('#classify-heatmap-value')?.textContent ?? '',
        value: Number((c.getAttribute('data-relevance') ?? '').split(',')[10 * 28 + 14]),
      }));
    const first = await read();
    await useMethod(page, 'gradient');
    const second = await read();
    await page.mouse.move(box.x + box.width + 40, box.y - 40);
    const left = await read();
    await page.close();
    assert(readsPixel(first), `over the map the readout says '${first.text}', the map holds ${first.value}`);
    assert(first.value !== second.value, 'the gradient map has the same value there: the update is not tested');
    assert(readsPixel(second), `after a new map the readout says '${second.text}', the map holds ${second.value}`);
    assert(!left.text.startsWith('pixel ('), `after the mouse left the readout still says '${left.text}'`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  // webgl's maps against wasm's, within the issue's 1e-4 of max |R|, on a drawing (whose flat background
  // and saturated stroke tie many of conv1's 2 x 2 max-pool windows) and on an example digit. Before
  // @logitlab/backends replaced webgl's MaxPoolGrad (stock routes a tie to the window's last maximum,
  // wasm to the first) the drawn 7's LRP, gradient and integrated-gradients maps differed by ~0.35.
  test('webgl vs wasm: the heatmaps of a drawn 7 (tied max-pool windows) and an example 3 agree within 1e-4 of max |R|, per method', async () => {
    const { page, errors } = await open('classify');
    /** @type {Array<{ source: string, ties: { ties: number, windows: number }, report: Array<{ method: string, worst: number, pixels: number, length: number }> }>} */
    const results = [];
    for (const source of ['drawn 7', 'example 3']) {
      if (source === 'drawn 7') await drawSeven(page, '#page-classify .draw-pad');
      else {
        await page.click('#classify-clear');
        await press(page, '#classify-pick [data-digit="3"]');
        await page.waitForFunction(() => document.querySelector('#classify-explain')?.getAttribute('data-target') === '3');
      }
      await settled(page);
      /** @type {Record<string, Record<string, number[]>>} */
      const maps = { wasm: {}, webgl: {} };
      for (const backend of ['wasm', 'webgl']) {
        await useBackend(page, backend);
        for (const method of ['lrp', 'gradient', 'integratedGradients', 'gradCam']) {
          await useMethod(page, method);
          /** @type {Record<string, number[]>} */ (maps[backend])[method] = await relevance(page);
        }
      }
      const report = Object.keys(maps.wasm ?? {}).map((method) => {
        const a = maps.wasm?.[method] ?? [];
        const b = maps.webgl?.[method] ?? [];
        const scale = Math.max(...a.map(Math.abs));
        const diffs = a.map((v, i) => Math.abs(v - (b[i] ?? Number.NaN)));
        return { method, worst: Math.max(...diffs) / scale, pixels: diffs.filter((d) => d > 1e-4 * scale).length, length: b.length };
      });
      results.push({ source, ties: await poolTies(page), report });
    }
    await page.close();
    for (const { source, ties, report } of results) {
      console.log(
        `       ${source}: conv1's 2 x 2 max-pool windows with a tied maximum ${ties.ties} of ${ties.windows}; webgl vs wasm: ${report.map((r) => `${r.method} ${r.worst.toExponential(1)} (${r.pixels} px over 1e-4)`).join('; ')}`,
      );
      for (const r of report) {
        assert(r.length === 784 && Number.isFinite(r.worst), `${source}, ${r.method}: ${r.length} values`);
        assert(
          r.worst < 1e-4,
          `${source} (${ties.ties} tied windows), ${r.method}: webgl's map differs from wasm's by ${r.worst} of max |R|`,
        );
      }
    }
    // the drawing must hold ties, or the comparison above says nothing about them
    const drawn = results.find((r) => r.source === 'drawn 7');
    assert((drawn?.ties.ties ?? 0) > 100, `the drawn 7 has only ${drawn?.ties.ties} tied max-pool windows`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test("webgl's max-pool gradient: a tied window's gradient goes to its first maximum (PyTorch's rule), for the cases @logitlab/backends tests in Node", async () => {
    const { page, errors } = await open('classify');
    await useBackend(page, 'webgl');
    const wrong = await page.evaluate(maxPoolTieCheck);
    await page.close();
    assert(wrong.backend === 'webgl', `ran on ${wrong.backend}`);
    assert(wrong.ties > 100, `only ${wrong.ties} tied windows: the cases test nothing`);
    assert(wrong.leaked === 0, `${wrong.leaked} tensors leaked`);
    assert(
      wrong.errors.length === 0,
      `webgl's max-pool gradient differs from the first-maximum rule: ${wrong.errors.slice(0, 5).join('; ')}`,
    );
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
