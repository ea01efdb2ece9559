// @ts-check
// Every tab: each canvas has a text alternative, text meets WCAG AA contrast (4.5:1) and the bars
// meet the non-text minimum (3:1). Registered by run.mjs.
import { TABS } from './shell.mjs';
import { assert } from './runner.mjs';

/** @typedef {import('./harness.mjs').Harness} Harness */

/** @param {Harness} h */
export function register({ test, open, ready }) {
  test('accessibility: every canvas has a text alternative, text contrast >= 4.5:1, bars >= 3:1', async () => {
    const { page, errors } = await open('classify');
    const report = [];
    for (const tab of TABS) {
      await page.click(`#tab-${tab}`);
      await ready(page, tab);
      await page.waitForTimeout(300);
      report.push(
        await page.evaluate((tabName) => {
          // Helpers live inside the page function: it runs in the browser, which cannot see outer scopes.
          // oxlint-disable-next-line unicorn/consistent-function-scoping
          const rgb = (/** @type {string} */ c) => (c.match(/[\d.]+/g) ?? []).map(Number);
          // oxlint-disable-next-line unicorn/consistent-function-scoping
          const lum = (/** @type {number[]} */ [r = 0, g = 0, b = 0]) => {
            // oxlint-disable-next-line unicorn/consistent-function-scoping
            const f = (/** @type {number} */ v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
          };
          const ratio = (/** @type {number[]} */ a, /** @type {number[]} */ b) =>
            (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
          const bgOf = (/** @type {Element | null} */ el) => {
            for (let e = el; e; e = e.parentElement) {
              const c = rgb(getComputedStyle(e).backgroundColor);
              if (c.length === 3 || (c.length === 4 && (c[3] ?? 0) > 0.9)) return c.slice(0, 3);
            }
            return [255, 255, 255];
          };
          const panel = document.getElementById(`page-${tabName}`);
          const unlabeled = [...document.querySelectorAll('canvas')]
            .filter((c) => panel?.contains(c) && c.offsetParent !== null)
            .filter((c) => !c.getAttribute('aria-label') && c.getAttribute('aria-hidden') !== 'true' && !c.closest('[aria-hidden="true"]'))
            .map((c) => c.id || c.className || 'canvas');
          const low = [];
          for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(`header *, #page-${tabName} *, footer`))) {
            if (el.offsetParent === null || el.closest('.visually-hidden')) continue;
            const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim());
            if (!own) continue;
            const st = getComputedStyle(el);
            if (Number(st.opacity) < 1 || el.closest(':disabled') || el.matches(':disabled')) continue;
            const r = ratio(rgb(st.color).slice(0, 3), bgOf(el));
            if (r < 4.5)
              low.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}" ${r.toFixed(2)}`);
          }
          const bars = [...(panel?.querySelectorAll('.bar .fill') ?? [])].map((f) =>
            ratio(rgb(getComputedStyle(f).backgroundColor), bgOf(f.parentElement)),
          );
          return { tab: tabName, unlabeled, low, minBar: bars.length ? Math.min(...bars) : null };
        }, tab),
      );
    }
    await page.close();
    for (const r of report) {
      assert(r.unlabeled.length === 0, `${r.tab}: canvases without a text alternative: ${r.unlabeled.join(', ')}`);
      assert(r.low.length === 0, `${r.tab}: text under 4.5:1: ${r.low.slice(0, 6).join(' | ')}`);
      assert(r.minBar === null || r.minBar >= 3, `${r.tab}: bar contrast ${r.minBar}`);
    }
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
