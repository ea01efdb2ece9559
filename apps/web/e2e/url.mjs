// @ts-check
// State in the URL: a shared link reproduces the view (tab, backend, drawing, explained class, method,
// rule, beta, latent point) and writes the same URL back. Registered by run.mjs.
import { headOutputs, maxDiff, settled, useBackend } from './fixtures.mjs';
import { assert } from './runner.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

/** Classify's view: the four heads' outputs, the explanation's settings, the backend. @param {Page} p */
const classifyView = async (p) => ({
  heads: await headOutputs(p),
  explain: await p.$eval('#classify-explain', (el) => ({ .../** @type {HTMLElement} */ (el).dataset })),
  backend: await p.evaluate(() => document.body.dataset.backend),
});

/** @param {Harness} h */
export function register({ test, open, drawSeven }) {
  test('a shared URL reproduces the view (tab, backend, drawing, explained class, method, rule, beta, latent point)', async () => {
    const { page, errors } = await open('classify');
    await useBackend(page, 'wasm');
    await drawSeven(page, '#page-classify .draw-pad');
    await settled(page, 'classify');
    await page.selectOption('#classify-method', 'gradientTimesInput');
    await page.click('.head-card[data-head="softmax"] .bar[data-digit="2"]');
    await page.waitForFunction(() => document.querySelector('#classify-explain')?.getAttribute('data-target') === '2');
    await settled(page, 'classify');
    const a = await classifyView(page);
    const url = page.url();
    await page.close();
    // Generate and Explain state too.
    const g = await open('generate?beta=5&z=0.250,0.700');
    const gState = await g.page.evaluate(() => ({
      beta: /** @type {HTMLSelectElement | null} */ (document.querySelector('#beta-select'))?.value,
      url: location.hash,
    }));
    await g.page.close();
    const e = await open('explain?explain-composite=epsilonPlus&compare=gradientTimesInput');
    const eRule = await e.page.$eval('#explain-rule', (el) => /** @type {HTMLSelectElement} */ (el).value);
    await e.page.close();

    const { page: other, errors: errors2 } = await open(url.slice(url.indexOf('#') + 1));
    await settled(other, 'classify');
    await other.waitForFunction(() => document.querySelector('#classify-explain')?.getAttribute('data-target') === '2');
    const b = await classifyView(other);
    const url2 = other.url();
    await other.close();
    assert(url.includes('draw-classify=') && url.includes('backend=wasm'), `URL lacks state: ${url}`);
    assert(b.backend === 'wasm', `shared link opened on ${b.backend}`);
    for (const head of ['logits', 'logSoftmax', 'softmax', 'sigmoid']) {
      const ah = a.heads[head];
      const bh = b.heads[head];
      assert(ah && bh, `${head}: no outputs (${JSON.stringify({ before: ah, after: bh })})`);
      const d = maxDiff(ah, bh);
      assert(d < 0.05 * Math.max(1, ...ah.map(Math.abs)), `${head}: outputs differ by ${d}`);
    }
    assert(
      b.explain.head === 'softmax' && b.explain.target === '2' && b.explain.method === 'gradientTimesInput',
      `explain view ${JSON.stringify(b.explain)}`,
    );
    assert(url2.slice(url2.indexOf('#')) === url.slice(url.indexOf('#')), 'the restored view writes a different URL');
    assert(gState.beta === '5' && decodeURIComponent(gState.url).includes('z=0.250,0.700'), `generate state ${JSON.stringify(gState)}`);
    assert(eRule === 'epsilonPlus', `explain composite ${eRule}`);
    assert(
      errors.length + errors2.length + g.errors.length + e.errors.length === 0,
      `console errors: ${[...errors, ...errors2, ...g.errors, ...e.errors].join(' | ')}`,
    );
  });
}
