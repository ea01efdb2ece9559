// @ts-check
// What every e2e page file shares: the server, Debian's Chromium (via playwright-core, never a
// downloaded browser), a tab per test with its console errors collected, and the waits on the app's
// own signals (data-ready, data-state, data-renders). run.mjs starts it and hands `harness` to each
// page file's `register(harness)`; runner.mjs runs what they registered.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextRender, ready, renders, watch } from './app-signals.mjs';
import { assert, test } from './runner.mjs';
import { serve } from './serve.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('playwright-core').BrowserContext} BrowserContext
 * @typedef {{ width: number, height: number }} Viewport
 * @typedef {{ cores?: number, viewport?: Viewport, context?: BrowserContext }} OpenOptions
 * `assert` is runner.mjs's; a page file may import it from there, where TypeScript also narrows by it
 * (an assertion signature cannot travel through a destructured parameter).
 * @typedef {{
 *   test: (name: string, fn: () => Promise<void>) => void,
 *   open: (hash: string, options?: OpenOptions) => Promise<{ page: Page, errors: string[] }>,
 *   assert: (cond: unknown, msg: string) => void,
 *   drawSeven: (page: Page, selector: string, grid?: number) => Promise<void>,
 *   renders: (page: Page, id: string) => Promise<number>,
 *   nextRender: (page: Page, id: string, after: number) => Promise<void>,
 *   shot: (page: Page, name: string, options?: { fullPage?: boolean }) => Promise<void>,
 *   ready: (page: Page, tab: string) => Promise<void>,
 *   watch: (page: Page) => string[],
 *   newContext: (viewport?: Viewport) => Promise<BrowserContext>,
 *   base: string,
 *   dirs: { app: string, repo: string, downloads: string },
 * }} Harness
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const app = path.resolve(here, '..');
const repo = path.resolve(app, '../..');
const dist = path.join(app, 'dist');
export const shots = path.join(here, 'screenshots');
const browserPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** A setup problem: the run cannot start, which counts as one failure. @param {string} msg @returns {never} */
function fail(msg) {
  console.error(`e2e: ${msg}`);
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
}

/**
 * Starts the server (unless E2E_BASE_URL points the suite at another one, e.g. `vite dev`, to check
 * the dev build too) and the browser.
 * @returns {Promise<{ harness: Harness, close: () => Promise<void> }>}
 */
export async function startHarness() {
  if (!process.env.E2E_BASE_URL && !fs.existsSync(path.join(dist, 'index.html')))
    fail(`no production build at ${dist}; run \`pnpm build\` first`);
  if (!fs.existsSync(browserPath)) fail(`Chromium not found at ${browserPath} (Debian: apt-get install chromium)`);
  /** @type {typeof import('playwright-core')} */
  const { chromium } = createRequire(path.join(app, 'package.json'))('playwright-core');
  const served = process.env.E2E_BASE_URL ? null : await serve(dist);
  const base = process.env.E2E_BASE_URL ?? served?.url ?? '';
  const browser = await chromium.launch({ executablePath: browserPath, headless: true, args: FLAGS });
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-e2e-downloads-'));
  fs.mkdirSync(shots, { recursive: true });

  // Each test gets its own context, so storage (IndexedDB: the remembered backend and weights) never
  // leaks from one test into the next; a test that checks persistence reloads within its context.
  /** @param {Viewport} [viewport] */
  const newContext = (viewport = { width: 1320, height: 900 }) =>
    browser.newContext({ viewport, deviceScaleFactor: 1, acceptDownloads: true });

  /**
   * Opens a tab at `#hash`, collecting console errors and uncaught exceptions. `cores` overrides
   * navigator.hardwareConcurrency: tfjs's wasm build uses hardwareConcurrency / 2 threads, so on a
   * 2-core CI machine it would start single-threaded and the threaded path would go untested.
   * @param {string} hash @param {OpenOptions} [options]
   */
  async function open(hash, { cores, viewport, context } = {}) {
    const ctx = context ?? (await newContext(viewport));
    const page = await ctx.newPage();
    if (cores) {
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: cores });
    }
    const errors = watch(page);
    page.setDefaultTimeout(120_000);
    await page.goto(`${base}#${hash}`);
    await ready(page, hash.split('?')[0] ?? hash);
    // Closing the page also closes the context this call made.
    if (!context) page.on('close', () => void ctx.close().catch(() => undefined));
    return { page, errors };
  }

  /** @type {Harness} */
  const harness = {
    test,
    open,
    assert,
    drawSeven,
    renders,
    nextRender,
    shot: async (page, name, { fullPage = false } = {}) => {
      await page.screenshot({ path: path.join(shots, name), fullPage });
    },
    ready,
    watch,
    newContext,
    base,
    dirs: { app, repo, downloads },
  };
  const close = async () => {
    await browser.close();
    served?.server.close();
  };
  return { harness, close };
}

/**
 * Draws a "7"-like stroke on a pad with the mouse (grid coordinates scaled to the element).
 * @param {Page} page @param {string} selector @param {number} [grid]
 */
async function drawSeven(page, selector, grid = 28) {
  const box = await page.locator(selector).boundingBox();
  assert(box, `${selector} not visible`);
  /** @param {number} gx @param {number} gy @returns {[number, number]} */
  const at = (gx, gy) => [box.x + (gx / grid) * box.width, box.y + (gy / 28) * box.height];
  const [first, ...rest] = /** @type {const} */ ([at(7, 6), at(21, 6), at(15, 15), at(11, 23)]);
  await page.mouse.move(...first);
  await page.mouse.down();
  for (const p of rest) await page.mouse.move(...p, { steps: 8 });
  await page.mouse.up();
}
