// @ts-check
// Your model (issue 19, item 3 Web), at a laptop's and a phone's viewport: an .onnx fixture chosen in
// the file input lists its layers, predicts and explains a drawing with every method and composite the
// menus offer; a truncated and a garbage file show the OnnxImportError's own message (the one Node's
// importOnnx gives for the same bytes) in one line while the model stays usable; a real drop event
// brings a 3-channel model, and a dropped image is resized to its input; swapping models leaks no
// tensors. Registered by run.mjs, which serves the build and owns the browser.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(repo, 'packages/onnx/src/fixtures');
const VIEWPORTS = { desktop: { width: 1320, height: 900 }, phone: { width: 390, height: 844 } };
const convnet = fs.readFileSync(path.join(fixtures, 'convnet.onnx'));
/** The file cut short after 100 bytes, and bytes that are no protobuf at all. */
const BAD = {
  'truncated.onnx': convnet.subarray(0, 100),
  'garbage.onnx': Buffer.from('this is not a model, just text that ends up in a file named .onnx'),
};

/**
 * The message importOnnx throws in Node for `bytes` (the built package, in a child process: the
 * typecheck runs before the build, so this file cannot import it).
 * @param {Buffer} bytes
 */
function nodeMessage(bytes) {
  const script = `const { importOnnx } = await import(${JSON.stringify(path.join(repo, 'packages/onnx/dist/index.js'))});
    try { importOnnx(new Uint8Array(Buffer.from(process.argv[1], 'base64'))); console.log('imported'); }
    catch (e) { console.log(e.name + '|' + e.message); }`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script, bytes.toString('base64')], { encoding: 'utf8' }).trim();
}

/** @param {Page} page */
const settled = (page) => page.waitForFunction(() => !document.querySelector('#page-model')?.hasAttribute('data-busy'));
/** @param {Page} page */
const renders = (page) => page.$eval('#page-model', (el) => Number(el.getAttribute('data-renders') ?? 0));
/** Runs `act`, then waits for the page's next render to end. @param {Page} page @param {() => Promise<unknown>} act */
async function rendered(page, act) {
  const n = await renders(page);
  await act();
  await page.waitForFunction((k) => Number(document.querySelector('#page-model')?.getAttribute('data-renders')) > k, n);
  await settled(page);
}

/** What the page shows: the layer list, the bars, the explained class and the heatmap's values. @param {Page} page */
const shown = (page) =>
  page.evaluate(() => {
    const map = document.querySelector('#model-heatmap');
    return {
      model: document.querySelector('#page-model')?.getAttribute('data-model'),
      layers: [...document.querySelectorAll('#model-layers tbody tr')].map((r) => [...r.children].map((c) => c.textContent)),
      bars: [...document.querySelectorAll('#model-bars .bar')].map((b) => Number(b.getAttribute('data-cls'))),
      target: document.querySelector('#model-explain')?.getAttribute('data-target'),
      relevance: (map?.getAttribute('data-relevance') ?? '').split(',').filter(Boolean).map(Number),
      caption: document.querySelector('#model-caption')?.textContent ?? '',
      explainError: document.querySelector('#model-explain-error')?.textContent ?? '',
      error: document.querySelector('#model-error')?.textContent ?? '',
      errorType: document.querySelector('#model-error')?.getAttribute('data-type') ?? '',
      // the page exposes tfjs for the tests (main.ts); its type lives in the app, not here
      tensors: /** @type {any} */ (window).logitlab.tf.memory().numTensors,
      width: document.documentElement.scrollWidth,
    };
  });

/** A map that is there: finite values, not all zero. @param {number[]} r */
const nonZero = (r) => r.length > 0 && r.every(Number.isFinite) && r.some((v) => v !== 0);

/** A real drop event on `selector` carrying `bytes` as a file named `name`. @param {Page} page @param {string} selector @param {string} name @param {Buffer} bytes */
const dropFile = (page, selector, name, bytes) =>
  page.$eval(
    selector,
    (el, { n, b64 }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], n));
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { n: name, b64: bytes.toString('base64') },
  );

/**
 * Draws on the pad scrolled to the middle of the screen: on a phone the answer strip sticks to the
 * bottom edge and would take the strokes of a pad under it.
 * @param {Page} page @param {Harness['drawSeven']} drawSeven
 */
async function drawOnPad(page, drawSeven) {
  await page.$eval('#page-model .draw-pad', (el) => el.scrollIntoView({ block: 'center' }));
  await drawSeven(page, '#page-model .draw-pad');
}

/** @param {Harness} h */
export function register({ test, open, assert, drawSeven, shot }) {
  const expected = Object.fromEntries(Object.entries(BAD).map(([name, bytes]) => [name, nodeMessage(bytes)]));

  for (const [vp, viewport] of Object.entries(VIEWPORTS)) {
    test(`Your model (${vp}): an .onnx file lists its layers, predicts and explains; a broken file shows the OnnxImportError and the page keeps working`, async () => {
      const { page, errors } = await open('model', { viewport });
      await rendered(page, () => page.setInputFiles('#model-file', path.join(fixtures, 'convnet.onnx')));
      await rendered(page, () => drawOnPad(page, drawSeven));
      const first = await shown(page);
      await shot(page, `model-${vp}.png`);

      // every method and LRP composite the menus offer (the registry's), on the laptop; the phone checks one
      const methods = await page.$$eval('#model-method option', (os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value));
      const composites = await page.$$eval('#model-composite option', (os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value));
      /** @type {Record<string, ReturnType<typeof shown> extends Promise<infer T> ? T : never>} */
      const maps = {};
      if (vp === 'desktop') {
        for (const method of methods) {
          for (const composite of method === 'lrp' ? composites : [null]) {
            await rendered(page, async () => {
              if (composite) await page.selectOption('#model-composite', composite);
              await page.selectOption('#model-method', method);
              // the same method again changes nothing: ask for a render another way
              if (composite || method === methods[0]) await page.click('#model-bars .bar:nth-child(2)');
            });
            maps[composite ? `lrp ${composite}` : method] = await shown(page);
          }
        }
      }
      // pin the second-largest output
      await rendered(page, () => page.click('#model-bars .bar:nth-child(2)'));
      const pinned = await shown(page);
      const pressed = await page.$eval('#model-bars .bar[aria-pressed="true"]', (b) => b.getAttribute('data-cls'));

      // broken files: their typed error's message in one line, and the convnet stays in use
      /** @type {Record<string, { error: string, errorType: string, model: string | null | undefined }>} */
      const refused = {};
      for (const [name, bytes] of Object.entries(BAD)) {
        await page.setInputFiles('#model-file', { name, mimeType: 'application/octet-stream', buffer: bytes });
        await page.waitForFunction((n) => document.querySelector('#model-error')?.textContent?.startsWith(n), name);
        refused[name] = await shown(page);
      }
      await shot(page, `model-error-${vp}.png`);
      await rendered(page, () => page.click('#model-clear'));
      await rendered(page, () => drawOnPad(page, drawSeven));
      const after = await shown(page);

      // a good file after the bad ones, by a real drop: the 3-channel ResNet; then an image dropped on the pad
      await rendered(page, () => dropFile(page, '#model-card', 'resnet.onnx', fs.readFileSync(path.join(fixtures, 'resnet.onnx'))));
      const resnet = await shown(page);
      const png = await page.evaluate(async () => {
        const c = document.createElement('canvas');
        c.width = c.height = 64;
        const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
        ctx.fillStyle = '#d03030';
        ctx.fillRect(8, 8, 40, 24);
        /** @type {Blob | null} */
        const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
        if (!blob) throw new Error('the canvas gave no PNG');
        return btoa(String.fromCharCode(...new Uint8Array(await blob.arrayBuffer())));
      });
      await rendered(page, () => dropFile(page, '#model-input', 'red.png', Buffer.from(png, 'base64')));
      const red = await page.$eval('#model-preview', (c) => {
        const d = /** @type {HTMLCanvasElement} */ (c).getContext('2d')?.getImageData(0, 0, 84, 84).data ?? [];
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if ((d[i] ?? 0) > 150 && (d[i + 1] ?? 0) < 100) n++;
        return n;
      });
      const image = await shown(page);
      // back to the convnet, same method, same drawing as before: every tensor of the ResNet is gone
      await rendered(page, () => page.setInputFiles('#model-file', path.join(fixtures, 'convnet.onnx')));
      await rendered(page, () => page.click('#model-clear'));
      await rendered(page, () => drawOnPad(page, drawSeven));
      const again = await shown(page);
      await page.close();

      assert(first.model === 'convnet.onnx' && first.error === '', `after the convnet: ${JSON.stringify(first).slice(0, 300)}`);
      const names = first.layers.map((r) => r[0]);
      for (const n of ['conv1', 'conv2', 'fc1', 'fc2']) assert(names.includes(n), `layer list ${JSON.stringify(first.layers)} lacks ${n}`);
      assert(first.layers.at(-1)?.[2] === '[N, 10]', `the last layer's output: ${JSON.stringify(first.layers.at(-1))}`);
      assert(
        first.layers.every((r) => /^\[N(, \d+)+\]$/.test(r[2] ?? '')),
        `shapes: ${first.layers.map((r) => r[2])}`,
      );
      assert(first.bars.length === 10 && first.target === String(first.bars[0]), `bars ${first.bars}, explained ${first.target}`);
      assert(first.relevance.length === 784 && nonZero(first.relevance), `the first heatmap: ${first.relevance.length} values`);
      assert(/Σ R = /.test(first.caption), `caption: ${first.caption}`);
      assert(
        composites.length >= 5 && ['lrp', 'gradient', 'gradCam', 'occlusion'].every((m) => methods.includes(m)),
        `menus: ${methods} | ${composites}`,
      );
      if (vp === 'desktop') {
        assert(Object.keys(maps).length === methods.length - 1 + composites.length, `maps for ${Object.keys(maps)}`);
        for (const [m, s] of Object.entries(maps)) {
          assert(s.explainError === '', `${m}: ${s.explainError}`);
          // Grad-CAM's relu may leave a class no evidence at all; its map must still be there
          assert(m === 'gradCam' ? s.relevance.length === 784 : nonZero(s.relevance), `${m}: an empty map (${s.relevance.length} values)`);
        }
      }
      assert(pinned.target === String(pinned.bars[1]) && pressed === pinned.target, `pinned ${pinned.target}, pressed ${pressed}`);
      for (const [name, s] of Object.entries(refused)) {
        const [type, message] = (expected[name] ?? '').split('|');
        assert(s.errorType === 'OnnxImportError' && type === 'OnnxImportError', `${name}: ${s.errorType} in the page, ${type} in Node`);
        assert(s.error === `${name}: ${message}` && !s.error.includes('\n'), `${name}: '${s.error}', Node says '${message}'`);
        assert(s.model === 'convnet.onnx', `${name} replaced the model in use (${s.model})`);
      }
      assert(after.error !== '' && nonZero(after.relevance) && after.bars.length === 10, 'the page stopped working after a broken file');
      assert(
        resnet.model === 'resnet.onnx' && resnet.error === '' && resnet.relevance.length === 32 * 32,
        `after the drop: ${resnet.model}, ${resnet.error}`,
      );
      assert(
        resnet.layers.some((r) => r[0] === 'layer1.0.conv1'),
        `ResNet layers: ${resnet.layers.map((r) => r[0])}`,
      );
      assert(red > 200 && nonZero(image.relevance), `the dropped image: ${red} red preview pixels`);
      assert(
        again.tensors === first.tensors,
        `tensors: ${first.tensors} with the convnet first, ${again.tensors} after the ResNet came and went`,
      );
      for (const s of [first, after, resnet, again])
        assert(s.width <= viewport.width, `the page is ${s.width} px wide on a ${viewport.width} px screen`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });
  }

  test('Your model from the keyboard: the tabs pattern reaches it (and wraps), Tab reaches the file, image, bars and menus, Enter pins a class', async () => {
    const { page, errors } = await open('train');
    await page.focus('#tab-train');
    /** @type {string[]} */
    const selected = [];
    for (const key of ['ArrowRight', 'ArrowRight', 'End', 'ArrowLeft', 'End']) {
      await page.keyboard.press(key);
      selected.push(await page.evaluate(() => `${document.activeElement?.id}:${document.querySelector('[aria-selected="true"]')?.id}`));
    }
    await page.waitForSelector('#page-model[data-state="ready"]');
    await rendered(page, () => page.setInputFiles('#model-file', path.join(fixtures, 'convnet.onnx')));
    await page.focus('#tab-model');
    /** @type {string[]} */
    const reached = [];
    for (let i = 0; i < 40 && !reached.includes('model-method'); i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(
          () => document.activeElement?.id || `${document.activeElement?.className}:${document.activeElement?.getAttribute('data-cls')}`,
        ),
      );
    }
    const bar = reached.find((r) => r.startsWith('bar') && !r.startsWith('bar top'));
    const cls = bar?.split(':')[1];
    await rendered(page, async () => {
      await page.focus(`#model-bars .bar[data-cls="${cls}"]`);
      await page.keyboard.press('Enter');
    });
    const pinned = await page.evaluate(() => ({
      target: document.querySelector('#model-explain')?.getAttribute('data-target'),
      focused: document.activeElement?.getAttribute('data-cls'),
    }));
    await page.close();
    assert(
      selected.join() === 'tab-model:tab-model,tab-classify:tab-classify,tab-model:tab-model,tab-train:tab-train,tab-model:tab-model',
      `focus:selected after the keys: ${selected}`,
    );
    for (const id of ['page-model', 'model-file', 'model-image', 'model-clear', 'model-method'])
      assert(reached.includes(id), `Tab from the tab list did not reach #${id}: ${reached}`);
    assert(cls !== undefined && pinned.target === cls && pinned.focused === cls, `pressed ${cls} with Enter: ${JSON.stringify(pinned)}`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
