// @ts-check
// Touch targets on every tab (issue 25, item 6): at 390 x 844 every control a finger can reach (tabs,
// buttons, menus, fields, sliders, bars, the backend menu) is at least 44 x 44 px, Classify's as well
// as the header's, Explain's, Generate's and Train's; at 1320 x 900 the count under 44 px is only
// reported (a mouse needs no such margin). Registered by run.mjs.

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */
import { TABS } from './shell.mjs';

const VIEWPORTS = { desktop: { width: 1320, height: 900 }, phone: { width: 390, height: 844 } };

/** Every displayed control under 44 px in either direction, named. @param {Page} page */
const smallTargets = (page) =>
  page.$$eval('button, select, input, label.btn, a[href], .bar, [role="tab"]', (els) =>
    els
      .filter((el) => {
        const e = /** @type {HTMLElement} */ (el);
        // Not displayed, off-screen until focused (the skip link), or the file input behind its label.
        return (
          e.getClientRects().length > 0 &&
          !e.closest('[hidden]') &&
          !e.classList.contains('skip-link') &&
          !e.classList.contains('visually-hidden')
        );
      })
      .map((el) => ({ el: el.id || `${el.tagName.toLowerCase()}.${el.className}`, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(({ el, box }) => `${el} ${box.width.toFixed(0)}x${box.height.toFixed(0)}`),
  );

/** @param {Harness} h */
export function register({ test, open, assert }) {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`touch targets (${name}): every control on every tab, header included, is at least 44 px on a phone`, async () => {
      const { page, errors } = await open('classify', { viewport });
      /** @type {Record<string, string[]>} */
      const small = {};
      /** @type {Record<string, number>} */
      const counted = {};
      for (const tab of TABS) {
        await page.click(`#tab-${tab}`);
        await page.waitForSelector(`#page-${tab}[data-state="ready"]`);
        small[tab] = await smallTargets(page);
        counted[tab] = await page.$$eval(`#page-${tab} button, #page-${tab} select, #page-${tab} input`, (els) => els.length);
      }
      await page.close();
      // The check must have had something to measure on each tab.
      assert(
        TABS.every((t) => (counted[t] ?? 0) >= 3),
        `controls found per tab: ${JSON.stringify(counted)}`,
      );
      if (name === 'phone') {
        const all = TABS.flatMap((t) => (small[t] ?? []).map((s) => `${t}: ${s}`));
        assert(
          all.length === 0,
          `touch targets under 44 px: ${all.slice(0, 10).join(', ')}${all.length > 10 ? ` (+${all.length - 10})` : ''}`,
        );
      } else {
        console.log(
          `       desktop: under 44 px per tab ${JSON.stringify(Object.fromEntries(TABS.map((t) => [t, small[t]?.length])))} (allowed off a phone)`,
        );
      }
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });
  }
}
