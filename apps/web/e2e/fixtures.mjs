// @ts-check
// Reads and waits that several page files share: what the app shows (head outputs, the logits card),
// waiting for a page to finish its work, and switching the backend. Each reads the app's own data-*
// attributes, so a test never depends on layout or on timing.

/** @typedef {import('playwright-core').Page} Page */

/** Waits until `#page-<id>` has no work in flight. @param {Page} page @param {string} id */
export const settled = (page, id) => page.waitForFunction((i) => !document.querySelector(`#page-${i}`)?.hasAttribute('data-busy'), id);

/** Switches the backend from the header's menu and waits until the app runs on it. @param {Page} page @param {string} name */
export async function useBackend(page, name) {
  await page.selectOption('#backend-select', name);
  await page.waitForFunction((b) => document.body.dataset.backend === b, name);
}

/**
 * Classify's four heads' outputs, by head.
 * @param {Page} page @returns {Promise<Record<string, number[]>>}
 */
export const headOutputs = (page) =>
  page.$$eval('.head-card', (cards) =>
    Object.fromEntries(cards.map((c) => [c.getAttribute('data-head'), JSON.parse(c.getAttribute('data-outputs') ?? '[]')])),
  );

/** The class the logSoftmax head ranks first. @param {Page} page */
export const topPrediction = (page) => page.$eval('.head-card[data-head="logSoftmax"]', (c) => Number(c.getAttribute('data-top')));

/**
 * The logits head's outputs and its labels (whose weights, and the accuracy they were measured at)
 * for the drawing on the pad, once Classify has settled.
 * @param {Page} page
 * @returns {Promise<{ outputs: number[], source: string | null | undefined, accuracy: string | null | undefined }>}
 */
export async function logitsHead(page) {
  await settled(page, 'classify');
  return page.$eval('.head-card[data-head="logits"]', (c) => ({
    outputs: JSON.parse(c.getAttribute('data-outputs') ?? '[]'),
    source: c.querySelector('.source')?.textContent,
    accuracy: c.querySelector('.accuracy')?.textContent,
  }));
}

/** The largest element-wise difference (NaN where `b` is shorter). @param {number[]} a @param {number[]} b */
export const maxDiff = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? Number.NaN))));

/** @param {number[]} a */
export const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;

/** How many training steps the Train page has logged. @param {Page} page */
export const lossCount = (page) =>
  page.$eval('#page-train', (el) => /** @type {number[]} */ (JSON.parse(el.getAttribute('data-losses') ?? '[]')).length);

/** The Train page's logged losses. @param {Page} page @returns {Promise<number[]>} */
export const losses = (page) => page.$eval('#page-train', (el) => JSON.parse(el.getAttribute('data-losses') ?? '[]'));
