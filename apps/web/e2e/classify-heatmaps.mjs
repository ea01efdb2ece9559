// @ts-check
// Classify's explanation of the drawn digit: a distinct, non-empty heatmap for every class with every
// method the menu offers, and a map for every LRP composite. Registered by run.mjs.
import { settled } from './fixtures.mjs';
import { assert } from './runner.mjs';

/** @typedef {import('./harness.mjs').Harness} Harness */

/** @param {Harness} h */
export function register({ test, open, drawSeven, shot }) {
  test('classify: a heatmap for the drawn digit for every class, with each method', async () => {
    const { page, errors } = await open('classify');
    await drawSeven(page, '#page-classify .draw-pad');
    await settled(page, 'classify');
    const methods = await page.$$eval('#classify-method option', (options) =>
      options.map((o) => /** @type {HTMLOptionElement} */ (o).value),
    );
    /** @type {Record<string, { lit: number, scale: number, label?: string | null, px?: string }>} */
    const maps = {};
    for (const method of methods) {
      await page.selectOption('#classify-method', method);
      for (let d = 0; d < 10; d++) {
        await page.click(`.head-card[data-head="logits"] .bar[data-digit="${d}"]`);
        await page.waitForFunction(
          ([m, t]) => {
            const el = document.querySelector('#classify-explain');
            return (
              el?.getAttribute('data-method') === m &&
              el?.getAttribute('data-target') === t &&
              !document.querySelector('#page-classify')?.hasAttribute('data-busy')
            );
          },
          [method, String(d)],
        );
        maps[`${method}:${d}`] = await page.$eval('#classify-heatmap', (c) => ({
          lit: Number(/** @type {HTMLElement | null} */ (c.closest('.card'))?.dataset.lit),
          scale: Number(c.getAttribute('data-scale')),
          label: c.getAttribute('aria-label'),
          px: /** @type {HTMLCanvasElement} */ (c).toDataURL(),
        }));
      }
    }
    // LRP (once @logitlab/explain provides it): every composite explains too.
    const composites = await page.$$eval('#classify-composite option', (options) =>
      options.map((o) => /** @type {HTMLOptionElement} */ (o).value),
    );
    if (methods.includes('lrp')) {
      await page.selectOption('#classify-method', 'lrp');
      for (const composite of composites) {
        await page.selectOption('#classify-composite', composite);
        await settled(page, 'classify');
        await page.waitForTimeout(100);
        await settled(page, 'classify');
        maps[`lrp/${composite}`] = await page.$eval('#classify-heatmap', (c) => ({
          lit: Number(/** @type {HTMLElement | null} */ (c.closest('.card'))?.dataset.lit),
          scale: Number(c.getAttribute('data-scale')),
        }));
      }
    }
    await page.$eval('#classify-heatmap-opacity', (s) => {
      const slider = /** @type {HTMLInputElement} */ (s);
      slider.value = '40';
      slider.dispatchEvent(new Event('input'));
    });
    await shot(page, 'classify-drawn.png', { fullPage: true });
    await page.close();
    for (const [k, m] of Object.entries(maps))
      assert(m.lit > 0 && m.scale > 0, `${k}: empty heatmap (${JSON.stringify({ lit: m.lit, scale: m.scale })})`);
    for (const method of methods) {
      const distinct = new Set(Array.from({ length: 10 }, (_, d) => maps[`${method}:${d}`]?.px)).size;
      assert(distinct === 10, `${method}: only ${distinct} distinct heatmaps for 10 classes`);
    }
    console.log(`  methods: ${methods.join(', ')}${composites.length ? `; LRP composites: ${composites.join(', ')}` : ''}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
