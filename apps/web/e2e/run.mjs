#!/usr/bin/env node
// End-to-end tests of the PRODUCTION build (apps/web/dist, made by `pnpm build`) in Debian's
// Chromium via playwright-core. Serves dist with a tiny static server that sets the two
// cross-origin isolation headers (what any static host must do), never downloads a browser.
// Prints `e2e: N passed, N failed` and exits non-zero on any failure.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.resolve(here, '..');
const repoRoot = path.resolve(appDir, '../..');
const dist = path.join(appDir, 'dist');
const shots = path.join(here, 'screenshots');
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
const only = process.argv.slice(2); // optional test-name filters

function fail(msg) {
  console.error(`e2e: ${msg}`);
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
}
if (!fs.existsSync(path.join(dist, 'index.html'))) fail(`no production build at ${dist}; run \`pnpm build\` first`);
if (!fs.existsSync(browserPath)) fail(`Chromium not found at ${browserPath} (Debian: apt-get install chromium)`);

const require = createRequire(path.join(appDir, 'package.json'));
const { chromium } = require('playwright-core');

// ---------- static server with isolation headers ----------
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.safetensors': 'application/octet-stream',
};
function serve(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---------- tiny test runner ----------
const tests = [];
const test = (name, fn) => tests.push({ name, fn });
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// E2E_BASE_URL points the suite at another server (e.g. `vite dev`, to check the dev build too);
// by default it serves the production build itself.
const server = process.env.E2E_BASE_URL ? null : await serve(dist);
const base = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${server.address().port}/`;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-e2e-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: browserPath,
  headless: true,
  args: FLAGS,
  viewport: { width: 1320, height: 900 },
  deviceScaleFactor: 1,
});
fs.mkdirSync(shots, { recursive: true });

/**
 * Opens a tab at `#hash`, collecting console errors and uncaught exceptions. `cores` overrides
 * navigator.hardwareConcurrency: tfjs's wasm build uses hardwareConcurrency / 2 threads, so on a
 * 2-core CI machine it would start single-threaded and the threaded path would go untested.
 */
async function open(hash, { cores } = {}) {
  const page = await context.newPage();
  if (cores) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: cores });
  }
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.setDefaultTimeout(120_000);
  await page.goto(`${base}#${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector(`#page-${hash}[data-state="ready"]`);
  return { page, errors };
}

/** Waits until the page's render counter moves past `after`. */
async function nextRender(page, id, after) {
  await page.waitForFunction(
    ([sel, n]) => Number(document.querySelector(sel)?.getAttribute('data-renders') ?? 0) > n,
    [`#page-${id}`, after],
  );
}
const renders = (page, id) => page.$eval(`#page-${id}`, (el) => Number(el.getAttribute('data-renders') ?? 0));

/** Draws a "7"-like stroke on a pad with the mouse (grid coordinates scaled to the element). */
async function drawSeven(page, selector, grid = 28) {
  const box = await page.locator(selector).boundingBox();
  assert(box, `${selector} not visible`);
  const at = (gx, gy) => [box.x + (gx / grid) * box.width, box.y + (gy / 28) * box.height];
  const pts = [at(7, 6), at(21, 6), at(15, 15), at(11, 23)];
  await page.mouse.move(...pts[0]);
  await page.mouse.down();
  for (let i = 1; i < pts.length; i++) await page.mouse.move(...pts[i], { steps: 8 });
  await page.mouse.up();
}

const headOutputs = (page) =>
  page.$$eval('.head-card', (cards) => Object.fromEntries(cards.map((c) => [c.getAttribute('data-head'), JSON.parse(c.getAttribute('data-outputs') ?? '[]')])));
const topPrediction = (page) => page.$eval('.head-card[data-head="logSoftmax"]', (c) => Number(c.getAttribute('data-top')));

// ---------- tests ----------
for (const tab of ['classify', 'explain', 'generate', 'train']) {
  test(`${tab} page loads without console errors`, async () => {
    const { page, errors } = await open(tab);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, `${tab}.png`), fullPage: true });
    await page.close();
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}

test('classify: a stroke changes all four heads', async () => {
  const { page, errors } = await open('classify');
  const before = await headOutputs(page);
  const n = await renders(page, 'classify');
  await drawSeven(page, '#page-classify .draw-pad');
  await nextRender(page, 'classify', n);
  await page.waitForFunction(() => !document.querySelector('#page-classify')?.hasAttribute('data-busy'));
  const after = await headOutputs(page);
  await page.screenshot({ path: path.join(shots, 'classify-drawn.png'), fullPage: true });
  await page.close();
  for (const head of ['logits', 'logSoftmax', 'softmax', 'sigmoid']) {
    const a = before[head];
    const b = after[head];
    assert(Array.isArray(b) && b.length === 10, `${head}: expected 10 outputs, got ${JSON.stringify(b)}`);
    assert(a.length !== 10 || b.some((v, i) => Math.abs(v - a[i]) > 1e-6), `${head}: outputs did not change`);
  }
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('classify: touch strokes draw too, and renders leak no tensors', async () => {
  const { page, errors } = await open('classify');
  const tensors = () => page.evaluate(() => window.logitlab.tf.memory().numTensors);
  const touchStroke = (points) =>
    page.$eval(
      '#page-classify .draw-pad',
      (pad, pts) => {
        const r = pad.getBoundingClientRect();
        const ev = (type, [gx, gy]) =>
          pad.dispatchEvent(
            new PointerEvent(type, { pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, cancelable: true, clientX: r.left + (gx / 28) * r.width, clientY: r.top + (gy / 28) * r.height }),
          );
        ev('pointerdown', pts[0]);
        for (const p of pts.slice(1)) ev('pointermove', p);
        ev('pointerup', pts[pts.length - 1]);
      },
      points,
    );
  const settle = () => page.waitForFunction(() => !document.querySelector('#page-classify')?.hasAttribute('data-busy'));
  let n = await renders(page, 'classify');
  await touchStroke([[14, 4], [14, 12], [14, 18], [14, 24]]);
  await nextRender(page, 'classify', n);
  await settle();
  const ink = await page.$eval('#page-classify .draw-pad', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    for (let i = 0; i < d.length; i += 4) s += d[i];
    return s / 255;
  });
  const before = await tensors();
  for (const x of [8, 18, 22]) {
    n = await renders(page, 'classify');
    await touchStroke([[x, 6], [x + 2, 14], [x, 22]]);
    await nextRender(page, 'classify', n);
    await settle();
  }
  const after = await tensors();
  await page.close();
  assert(ink > 100, `a touch stroke left no ink (${ink})`);
  assert(after === before, `tensor count grew from ${before} to ${after} over 3 renders`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('explain: non-empty heatmap, conservation within 1e-3', async () => {
  const { page, errors } = await open('explain');
  const n = await renders(page, 'explain');
  await page.click('#pick-left [data-digit="3"]');
  await page.click('#pick-right [data-digit="7"]');
  await nextRender(page, 'explain', n);
  await page.waitForFunction(() => !document.querySelector('#page-explain')?.hasAttribute('data-busy'));
  const d = await page.$eval('#page-explain', (el) => ({ ...el.dataset }));
  await page.screenshot({ path: path.join(shots, 'explain-picked.png'), fullPage: true });
  await page.close();
  assert(Number(d.lit) > 0, `heatmap is empty (lit=${d.lit})`);
  const out = Number(d.output);
  const total = Number(d.relevanceSum);
  assert(Number.isFinite(out) && Number.isFinite(total), `bad numbers: output=${d.output} sum=${d.relevanceSum}`);
  const rel = Math.abs(total - out) / Math.max(Math.abs(out), 1e-6);
  assert(out <= 0 || rel < 1e-3, `conservation off: sum R = ${total}, f(x) = ${out}, rel ${rel}`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('generate: clicking the latent map decodes', async () => {
  const { page, errors } = await open('generate');
  const before = await page.$eval('#decoded', (c) => Number(c.getAttribute('data-decodes') ?? 0));
  const box = await page.locator('#latent-map').boundingBox();
  assert(box, 'latent map not visible');
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await page.waitForFunction((n) => Number(document.querySelector('#decoded')?.getAttribute('data-decodes') ?? 0) > n, before);
  const ink = await page.$eval('#decoded', (c) => Number(c.getAttribute('data-ink')));
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.6);
  await page.waitForFunction((n) => Number(document.querySelector('#decoded')?.getAttribute('data-decodes') ?? 0) > n + 1, before);
  const ink2 = await page.$eval('#decoded', (c) => Number(c.getAttribute('data-ink')));
  await page.screenshot({ path: path.join(shots, 'generate-decoded.png'), fullPage: true });
  await page.close();
  assert(Number.isFinite(ink) && ink > 0, `decoded image is empty (ink=${ink})`);
  assert(ink !== ink2, 'two different latent points decoded to the same image');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a missing weight asset: the page trains that model itself and still works', async () => {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.setDefaultTimeout(180_000);
  // Serve a manifest without the autoencoder, as if its asset had not been made.
  await page.route('**/weights/manifest.json', async (route) => {
    const json = await (await route.fetch()).json();
    delete json.files['autoencoder.safetensors'];
    await route.fulfill({ json, headers: { 'Cross-Origin-Resource-Policy': 'same-origin' } });
  });
  // Start on Train (loads no model), pick wasm (fast to train on), then open Generate.
  await page.goto(`${base}#train`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.selectOption('#backend-select', 'wasm');
  await page.waitForFunction(() => document.body.dataset.backend === 'wasm');
  await page.click('#tab-generate');
  await page.waitForSelector('#page-generate[data-state="ready"]');
  const badge = await page.$eval('#page-generate .card:nth-child(3) .badge', (el) => el.textContent);
  const ink = await page.$eval('#decoded-ae', (c) => Number(c.getAttribute('data-ink')));
  await page.close();
  assert(badge === 'trained in page', `autoencoder badge says '${badge}', expected 'trained in page'`);
  assert(Number.isFinite(ink) && ink > 0, `the in-page autoencoder decodes nothing (ink=${ink})`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('train: 20 steps, the loss falls', async () => {
  const { page, errors } = await open('train');
  // wasm: the backend the library made trainable, and far faster than a software webgpu.
  await page.selectOption('#backend-select', 'wasm');
  await page.waitForFunction(() => document.body.dataset.backend === 'wasm');
  await page.selectOption('#train-model', 'convnet-logSoftmax');
  await page.fill('#train-steps', '20');
  await page.click('#train-start');
  // Pause mid-run: no steps while paused, then resume to the end.
  const count = () => page.$eval('#page-train', (el) => JSON.parse(el.getAttribute('data-losses') ?? '[]').length);
  await page.waitForFunction(() => JSON.parse(document.querySelector('#page-train')?.getAttribute('data-losses') ?? '[]').length >= 3);
  await page.click('#train-pause');
  await page.waitForSelector('#page-train[data-train-state="paused"]');
  await page.waitForTimeout(300); // a step already in flight may still land
  const atPause = await count();
  await page.waitForTimeout(1500);
  const stillPaused = await count();
  await page.click('#train-pause');
  await page.waitForSelector('#page-train[data-train-state="done"]', { timeout: 300_000 });
  assert(stillPaused === atPause, `training advanced while paused: ${atPause} -> ${stillPaused} steps`);
  const losses = await page.$eval('#page-train', (el) => JSON.parse(el.getAttribute('data-losses') ?? '[]'));
  await page.screenshot({ path: path.join(shots, 'train-done.png'), fullPage: true });
  await page.close();
  assert(losses.length === 20, `expected 20 losses, got ${losses.length}`);
  const head = losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
  const tail = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
  assert(tail < head, `loss did not fall: first 5 mean ${head}, last 5 mean ${tail}`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('backends: cpu, wasm, webgl, webgpu agree on the top prediction; wasm runs threaded', async () => {
  const { page, errors } = await open('classify', { cores: 4 });
  await drawSeven(page, '#page-classify .draw-pad');
  await page.waitForFunction(() => !document.querySelector('#page-classify')?.hasAttribute('data-busy'));
  const tops = {};
  let wasmThreads = 0;
  for (const name of ['cpu', 'wasm', 'webgl', 'webgpu']) {
    const n = await renders(page, 'classify');
    await page.selectOption('#backend-select', name);
    await page.waitForFunction((b) => document.body.dataset.backend === b, name, { timeout: 60_000 });
    await nextRender(page, 'classify', n);
    await page.waitForFunction(() => !document.querySelector('#page-classify')?.hasAttribute('data-busy'));
    tops[name] = await topPrediction(page);
    if (name === 'wasm') wasmThreads = Number(await page.evaluate(() => document.body.dataset.threads));
  }
  const isolated = await page.evaluate(() => crossOriginIsolated);
  await page.close();
  console.log(`  top predictions: ${JSON.stringify(tops)}; wasm threads: ${wasmThreads}; isolated: ${isolated}`);
  assert(new Set(Object.values(tops)).size === 1, `backends disagree: ${JSON.stringify(tops)}`);
  assert(isolated, 'page is not cross-origin isolated');
  assert(wasmThreads > 1, `wasm backend runs ${wasmThreads} thread(s); the threaded build did not start`);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

// ---------- run ----------
let passed = 0;
let failed = 0;
for (const { name, fn } of tests) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`  ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } catch (e) {
    failed++;
    console.log(`  FAIL ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)\n       ${String(e?.message ?? e).split('\n').join('\n       ')}`);
  }
}
await context.close();
server?.close();
fs.rmSync(userDataDir, { recursive: true, force: true });

// Committed copies for the README (screenshots of each page, as left by this run).
if (process.env.E2E_UPDATE_DOCS) {
  const docs = path.join(repoRoot, 'docs/screenshots');
  fs.mkdirSync(docs, { recursive: true });
  for (const f of ['classify-drawn.png', 'explain-picked.png', 'generate-decoded.png', 'train-done.png']) {
    if (fs.existsSync(path.join(shots, f))) fs.copyFileSync(path.join(shots, f), path.join(docs, f));
  }
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
