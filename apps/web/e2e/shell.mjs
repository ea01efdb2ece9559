// @ts-check
// The app's shell: every tab loads cleanly, fits a phone's screen, follows the ARIA tabs pattern, and
// works from the keyboard alone. Registered by run.mjs.
import { settled } from './fixtures.mjs';
import { assert } from './runner.mjs';

/** @typedef {import('./harness.mjs').Harness} Harness */

export const TABS = ['classify', 'explain', 'generate', 'train', 'model'];

/** @param {Harness} h */
export function register({ test, open, ready, renders, nextRender, shot }) {
  for (const tab of TABS) {
    test(`${tab} page loads without console errors`, async () => {
      const { page, errors } = await open(tab);
      await page.waitForTimeout(300);
      await shot(page, `${tab}.png`, { fullPage: true });
      await page.close();
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });
  }

  test('phone (390 x 844): no page wider than the screen, compact header', async () => {
    const { page, errors } = await open('classify', { viewport: { width: 390, height: 844 } });
    /** @type {Record<string, { scroll: number, viewport: number }>} */
    const widths = {};
    let header = 0;
    for (const tab of TABS) {
      await page.click(`#tab-${tab}`);
      await ready(page, tab);
      await page.waitForTimeout(300);
      widths[tab] = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
      header = Math.max(header, await page.$eval('.topbar', (el) => el.getBoundingClientRect().height));
      await shot(page, `phone-${tab}.png`, { fullPage: true });
    }
    await page.close();
    console.log(`  phone widths: ${JSON.stringify(widths)}; header ${header.toFixed(0)} px of 844`);
    for (const [tab, w] of Object.entries(widths))
      assert(w.scroll <= w.viewport, `${tab}: page is ${w.scroll} px wide on a ${w.viewport} px screen`);
    assert(header <= 0.15 * 844, `header takes ${header.toFixed(0)} px (${((header / 844) * 100).toFixed(0)}% of the screen)`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test('tabs follow the ARIA tabs pattern (arrow keys, roving tabindex, aria-controls)', async () => {
    const { page, errors } = await open('classify');
    await page.focus('#tab-classify');
    const seen = [];
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowLeft', 'End', 'Home']) {
      await page.keyboard.press(key);
      const s = await page.evaluate(() => {
        const tabs = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('[role="tab"]')]);
        const panels = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('[role="tabpanel"]')]);
        return {
          focused: document.activeElement?.id,
          selected: tabs.filter((t) => t.getAttribute('aria-selected') === 'true').map((t) => t.id),
          tabbable: tabs.filter((t) => t.tabIndex === 0).map((t) => t.id),
          visible: panels.filter((p) => !p.hidden).map((p) => p.id),
          controls: tabs.every((t) => document.getElementById(t.getAttribute('aria-controls') ?? '')?.getAttribute('role') === 'tabpanel'),
        };
      });
      seen.push(s);
    }
    await page.close();
    const expected = ['explain', 'generate', 'train', 'model', 'train', 'model', 'classify'];
    seen.forEach((s, i) => {
      const want = `tab-${expected[i]}`;
      assert(
        s.focused === want && s.selected.join() === want && s.tabbable.join() === want,
        `step ${i}: ${JSON.stringify(s)}, expected ${want}`,
      );
      assert(s.visible.join() === `page-${expected[i]}`, `step ${i}: visible panels ${s.visible}`);
      assert(s.controls, 'a tab does not control a tabpanel');
    });
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test('keyboard only: every tab works without a pointer', async () => {
    const { page, errors } = await open('classify');
    // Classify: the digit picker puts an example on the pad; the live region announces predictions.
    await page.focus('#classify-pick [data-digit="3"]');
    let n = await renders(page, 'classify');
    await page.keyboard.press('Enter');
    await nextRender(page, 'classify', n);
    await settled(page, 'classify');
    const live = await page.$eval('#classify-live', (el) => el.textContent);
    // A bar is a button: Space explains that class.
    await page.focus('.head-card[data-head="logits"] .bar[data-digit="5"]');
    n = await renders(page, 'classify');
    await page.keyboard.press('Space');
    await nextRender(page, 'classify', n);
    await settled(page, 'classify');
    const explained = await page.$eval('#classify-explain', (el) => el.dataset.target);
    // Tabs by arrow key; Explain by its pickers.
    await page.focus('#tab-classify');
    await page.keyboard.press('ArrowRight');
    await ready(page, 'explain');
    n = await renders(page, 'explain');
    await page.focus('#pick-left [data-digit="1"]');
    await page.keyboard.press('Enter');
    await nextRender(page, 'explain', n);
    const verdict = await page.$eval('#explain-verdict', (el) => el.textContent);
    // Generate: the latent map takes arrow keys.
    await page.focus('#tab-explain');
    await page.keyboard.press('ArrowRight');
    await ready(page, 'generate');
    const before = await page.$eval('#decoded', (c) => Number(c.getAttribute('data-decodes') ?? 0));
    await page.focus('#latent-map');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction((b) => Number(document.querySelector('#decoded')?.getAttribute('data-decodes') ?? 0) >= b + 2, before);
    // Train: the form is plain controls.
    await page.focus('#tab-generate');
    await page.keyboard.press('ArrowRight');
    await ready(page, 'train');
    await page.focus('#train-steps');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await page.focus('#train-start');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#page-train[data-train-state="done"]', { timeout: 300_000 });
    await page.focus('#train-use');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#page-train')?.getAttribute('data-in-use') === 'trained in page');
    await page.close();
    assert(/Predictions: logits head \d/.test(live ?? ''), `live region says '${live}'`);
    assert(explained === '5', `pressing bar 5 explained ${explained}`);
    assert(/f = /.test(verdict ?? ''), `explain verdict '${verdict}'`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
