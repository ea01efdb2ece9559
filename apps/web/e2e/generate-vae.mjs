// @ts-check
// Generate's hidden-layer VAE: its prior samples look like digits (sharper than the linear VAE's), it
// decodes, and the URL keeps the choice across a reload. Registered by run.mjs.
import { assert } from './runner.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 * @typedef {{ n: number, variance: number, saturated: number, values: number[] }} SampleStats
 */

/**
 * Pixel statistics of the Generate page's prior samples (#samples canvases, grey levels in [0, 1]):
 * the mean over samples of the spatial variance, the share of near-black or near-white pixels, and
 * the raw values (to compare two models' samples).
 * @param {Page} page @returns {Promise<SampleStats>}
 */
const sampleStats = (page) =>
  page.$$eval('#samples canvas', (cvs) => {
    /** @type {number[]} */
    const all = [];
    let variance = 0;
    let saturated = 0;
    for (const c of cvs) {
      const canvas = /** @type {HTMLCanvasElement} */ (c);
      const d = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      const g = [];
      for (let i = 0; i < d.length; i += 4) g.push((d[i] ?? 0) / 255);
      const mean = g.reduce((a, b) => a + b, 0) / g.length;
      variance += g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length;
      saturated += g.filter((v) => v < 0.1 || v > 0.9).length / g.length;
      all.push(...g);
    }
    return { n: cvs.length, variance: variance / cvs.length, saturated: saturated / cvs.length, values: all };
  });

/** @param {SampleStats} s */
const fmt = (s) => `variance ${s.variance.toFixed(4)}, saturated ${s.saturated.toFixed(3)}`;

/** @param {Harness} h */
export function register({ test, open, ready, renders, nextRender, shot }) {
  test('generate: the hidden-layer VAE gives readable samples, decodes, and the URL keeps the choice', async () => {
    // The page opens on the hidden-layer VAE; start from the linear one to compare the two.
    const { page, errors } = await open('generate?vae=linear');
    const linear = await sampleStats(page);
    const renders0 = await renders(page, 'generate');
    await page.selectOption('#vae-model', 'mlp');
    await page.waitForFunction(
      () => document.querySelector('#page-generate .card:nth-child(2) h3')?.getAttribute('data-model') === 'vae-mlp',
    );
    await nextRender(page, 'generate', renders0);
    const mlp = await sampleStats(page);
    const quality = await page.$eval('#sample-quality', (p) => p.textContent);
    const betaDisabled = await page.$eval('#beta-select', (s) => /** @type {HTMLSelectElement} */ (s).disabled);
    const before = await page.$eval('#decoded', (c) => Number(c.getAttribute('data-decodes') ?? 0));
    const box = await page.locator('#latent-map').boundingBox();
    assert(box, 'latent map not visible');
    await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.45);
    await page.waitForFunction((n) => Number(document.querySelector('#decoded')?.getAttribute('data-decodes') ?? 0) > n, before);
    const ink = await page.$eval('#decoded', (c) => Number(c.getAttribute('data-ink')));
    await shot(page, 'generate-vae-mlp.png', { fullPage: true });
    const url = page.url();
    await page.reload();
    await ready(page, 'generate');
    const restored = await page.$eval('#vae-model', (s) => /** @type {HTMLSelectElement} */ (s).value);
    const restoredModel = await page.$eval('#page-generate .card:nth-child(2) h3', (h) => h.getAttribute('data-model'));
    const again = await sampleStats(page);
    await page.close();
    const diff = mlp.values.reduce((a, v, i) => a + Math.abs(v - (linear.values[i] ?? 0)), 0) / mlp.values.length;
    console.log(`       samples: linear VAE ${fmt(linear)}; vae-mlp ${fmt(mlp)}; mean |difference| ${diff.toFixed(3)}`);
    assert(mlp.n === linear.n && mlp.n > 0, `sample counts ${linear.n} vs ${mlp.n}`);
    assert(diff > 0.05, `vae-mlp samples barely differ from the linear VAE's (mean |difference| ${diff})`);
    // A digit is mostly black background with white strokes, grey noise is neither: the share of
    // near-black / near-white pixels separates them (measured: vae-mlp 0.74, linear VAE 0.24; the
    // spatial variance does not, the linear VAE's speckle has as much as a digit's strokes).
    assert(mlp.saturated > 0.5, `vae-mlp samples look like grey noise: ${fmt(mlp)}`);
    assert(
      mlp.saturated > linear.saturated + 0.2,
      `vae-mlp samples (${fmt(mlp)}) are not much sharper than the linear VAE's (${fmt(linear)})`,
    );
    assert(/^\d+% of 100 prior samples are closer to a held-out \w+ digit/.test(quality ?? ''), `sample-quality label: '${quality}'`);
    assert(betaDisabled, 'beta select should be disabled for the beta-1-only vae-mlp');
    assert(Number.isFinite(ink) && ink > 0, `vae-mlp decoded an empty image (ink=${ink})`);
    assert(
      /[?&]vae=mlp/.test(url) && restored === 'mlp' && restoredModel === 'vae-mlp',
      `URL ${url} restored '${restored}' / '${restoredModel}'`,
    );
    assert(
      again.values.every((v, i) => v === mlp.values[i]),
      'the restored page shows other samples than before the reload',
    );
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
