// @ts-check
// Keyboard and touch (issue 25, item 6 of the issue, 5 of the brief), at a laptop's and a phone's
// viewport: a skip link to Classify's explanation controls, touch targets of at least 44 px on a
// phone, a tap on the heatmap shows its value, and the URL reproduces the explanation's view settings
// and Generate's sample seed and latent point (a finger's drag included). (Focus kept on a pressed bar: first-minutes.mjs.) Registered by run.mjs.

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

const VIEWPORTS = { desktop: { width: 1320, height: 900 }, phone: { width: 390, height: 844 } };

/** @param {Page} page */
const settled = (page) => page.waitForFunction(() => !document.querySelector('#page-classify')?.hasAttribute('data-busy'));

/** The explanation's view settings as the page shows them. @param {Page} p */
const view = (p) =>
  p.evaluate(() => {
    const e = /** @type {HTMLElement} */ (document.querySelector('#classify-explain'));
    return {
      head: e.dataset.head,
      target: e.dataset.target,
      pinned: e.dataset.pinned,
      method: e.dataset.method,
      composite: /** @type {HTMLSelectElement} */ (document.querySelector('#classify-composite')).value,
      opacity: /** @type {HTMLInputElement} */ (document.querySelector('#classify-heatmap-opacity')).value,
      scale: document.querySelector('#classify-heatmap')?.getAttribute('data-scale'),
    };
  });

/** The prior samples' pixels (to compare two pages' samples). @param {Page} page */
const samplePixels = (page) =>
  page.$$eval('#samples canvas', (cs) =>
    cs
      .map((c) => Array.from(/** @type {HTMLCanvasElement} */ (c).getContext('2d')?.getImageData(0, 0, 48, 48).data ?? []).join())
      .join('|'),
  );

/** @param {Harness} h */
export function register({ test, open, assert, drawSeven }) {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`Generate URL round trip (${name}): new samples' seed and the end of a finger's drag on the latent map come back from the link`, async () => {
      const { page, errors } = await open('generate', { viewport });
      const first = await samplePixels(page);
      let n = Number(await page.$eval('#page-generate', (el) => el.getAttribute('data-renders')));
      await page.focus('#resample');
      await page.keyboard.press('Enter');
      await page.waitForFunction((k) => Number(document.querySelector('#page-generate')?.getAttribute('data-renders')) > k, n);
      await page.waitForFunction(() => !document.querySelector('#page-generate')?.hasAttribute('data-busy'));
      const resampled = await samplePixels(page);
      // A touch drag from (0.2, 0.2) to (0.7, 0.6) of the map: no click event, only pointer events.
      await page.$eval('#latent-map', (m) => {
        const r = m.getBoundingClientRect();
        /** @param {string} type @param {number} fx @param {number} fy */
        const ev = (type, fx, fy) =>
          m.dispatchEvent(
            new PointerEvent(type, {
              pointerId: 5,
              pointerType: 'touch',
              isPrimary: true,
              bubbles: true,
              clientX: r.left + fx * r.width,
              clientY: r.top + fy * r.height,
            }),
          );
        ev('pointerdown', 0.2, 0.2);
        for (let i = 1; i <= 5; i++) ev('pointermove', 0.2 + i * 0.1, 0.2 + i * 0.08);
        ev('pointerup', 0.7, 0.6);
      });
      await page.waitForFunction(() => /[?&]z=0\.70\d(,|%2C)0\.60\d/.test(location.hash));
      const url = page.url();
      await page.close();
      const other = await open(url.slice(url.indexOf('#') + 1), { viewport });
      await other.page.waitForFunction(() => !document.querySelector('#page-generate')?.hasAttribute('data-busy'));
      const restored = await samplePixels(other.page);
      await other.page.close();
      assert(/[?&]seed=2(&|$)/.test(url), `URL after New samples: ${url}`);
      assert(resampled !== first, 'New samples showed the same samples');
      assert(restored === resampled, "the link's page shows other samples than the page it came from");
      assert(errors.length + other.errors.length === 0, `console errors: ${[...errors, ...other.errors].join(' | ')}`);
    });

    test(`skip link (${name}): a few Tabs from the tabs reach it, and it moves focus to the explanation's method menu`, async () => {
      const { page, errors } = await open('classify', { viewport });
      await page.focus('#tab-classify');
      let tabs = 0;
      while (tabs < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'classify-skip') {
        await page.keyboard.press('Tab');
        tabs++;
      }
      const visible = await page.$eval('#classify-skip', (el) => {
        const r = el.getBoundingClientRect();
        return r.left >= 0 && r.width > 0 && r.right <= window.innerWidth;
      });
      await page.keyboard.press('Enter');
      const focused = await page.evaluate(() => document.activeElement?.id);
      await page.close();
      assert(tabs < 10, 'the skip link is not within 10 Tab presses of the tabs');
      assert(visible, 'the focused skip link is not on screen');
      assert(focused === 'classify-method', `after the skip link, focus is on '${focused}'`);
      console.log(`       ${name}: skip link after ${tabs} Tab presses from the tab list`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });

    test(`touch (${name}): a tap on the heatmap shows that pixel's value; on a phone every Classify control is at least 44 px`, async () => {
      const { page, errors } = await open('classify', { viewport });
      await drawSeven(page, '#page-classify .draw-pad');
      await settled(page);
      const tap = await page.$eval('#classify-heatmap', (c) => {
        const r = c.getBoundingClientRect();
        const at = { clientX: r.left + (14.5 / 28) * r.width, clientY: r.top + (10.5 / 28) * r.height };
        for (const type of ['pointerdown', 'pointerup'])
          c.dispatchEvent(new PointerEvent(type, { pointerId: 3, pointerType: 'touch', isPrimary: true, bubbles: true, ...at }));
        const values = (c.getAttribute('data-relevance') ?? '').split(',').map(Number);
        return { text: document.querySelector('#classify-heatmap-value')?.textContent ?? '', value: values[10 * 28 + 14] };
      });
      const small = await page.$$eval(
        '#page-classify .bar, #page-classify button, #page-classify select, #page-classify input[type="range"]',
        (els) =>
          els
            .filter((el) => /** @type {HTMLElement} */ (el).offsetParent !== null && !el.classList.contains('skip-link'))
            .map((el) => ({ el: el.id || el.className || el.tagName, box: el.getBoundingClientRect() }))
            .filter(({ box }) => box.height < 44 || box.width < 44)
            .map(({ el, box }) => `${el} ${box.width.toFixed(0)}x${box.height.toFixed(0)}`),
      );
      await page.close();
      const shown = Number(/R = (-?[\d.e+-]+)/.exec(tap.text)?.[1]);
      assert(tap.text.startsWith('pixel (14, 10): R = '), `after a tap the readout says '${tap.text}'`);
      assert(
        Math.abs(shown - (tap.value ?? Number.NaN)) <= 1e-4 * Math.max(1, Math.abs(tap.value ?? 0)),
        `readout ${shown} vs value ${tap.value}`,
      );
      if (name === 'phone') assert(small.length === 0, `touch targets under 44 px: ${small.slice(0, 8).join(', ')}`);
      else console.log(`       desktop: ${small.length} controls under 44 px (allowed off a phone)`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });

    test(`URL round trip (${name}): pinned class, head, method, composite and overlay opacity come back from the link`, async () => {
      const { page, errors } = await open('classify', { viewport });
      await drawSeven(page, '#page-classify .draw-pad');
      await settled(page);
      await page.selectOption('#classify-composite', 'epsilonGammaBox');
      await settled(page);
      await page.focus('.head-card[data-head="softmax"] .bar[data-digit="4"]');
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.querySelector('#classify-explain')?.getAttribute('data-target') === '4');
      await settled(page);
      await page.$eval('#classify-heatmap-opacity', (s) => {
        const slider = /** @type {HTMLInputElement} */ (s);
        slider.value = '35';
        slider.dispatchEvent(new Event('input'));
        slider.dispatchEvent(new Event('change'));
      });
      const before = await view(page);
      const url = page.url();
      await page.close();
      const other = await open(url.slice(url.indexOf('#') + 1), { viewport });
      await other.page.waitForFunction(() => document.querySelector('#classify-explain')?.getAttribute('data-target') === '4');
      await settled(other.page);
      const after = await view(other.page);
      await other.page.close();
      assert(
        before.head === 'softmax' &&
          before.target === '4' &&
          before.pinned === 'true' &&
          before.composite === 'epsilonGammaBox' &&
          before.opacity === '35',
        `before: ${JSON.stringify(before)}`,
      );
      const keys = /** @type {const} */ (['head', 'target', 'pinned', 'method', 'composite', 'opacity']);
      const same = keys.every((k) => after[k] === before[k]);
      assert(same, `the link ${url} restored ${JSON.stringify(after)}, not ${JSON.stringify(before)}`);
      assert(errors.length + other.errors.length === 0, `console errors: ${[...errors, ...other.errors].join(' | ')}`);
    });
  }
}
