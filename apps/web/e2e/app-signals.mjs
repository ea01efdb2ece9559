// @ts-check
// The app's own signals, which every wait in the suite reads instead of timing: body[data-ready] and
// each page's data-state once it has loaded, data-renders counting its renders, and the console errors
// and uncaught exceptions of the page and its workers.

/** @typedef {import('playwright-core').Page} Page */

/** Collects console errors and uncaught exceptions (of the page and its workers). @param {Page} page */
export function watch(page) {
  /** @type {string[]} */
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/** @param {Page} page @param {string} tab */
export async function ready(page, tab) {
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector(`#page-${tab}[data-state="ready"]`);
}

/** Waits until the page's render counter moves past `after`. @param {Page} page @param {string} id @param {number} after */
export async function nextRender(page, id, after) {
  await page.waitForFunction(
    ([sel, n]) => Number(document.querySelector(sel)?.getAttribute('data-renders') ?? 0) > n,
    /** @type {const} */ ([`#page-${id}`, after]),
  );
}

/** @param {Page} page @param {string} id */
export const renders = (page, id) => page.$eval(`#page-${id}`, (el) => Number(el.getAttribute('data-renders') ?? 0));
