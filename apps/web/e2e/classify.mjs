// @ts-check
// Classify: a stroke (mouse or touch) reaches all four heads and the layer view, and renders leak no
// tensors. Registered by run.mjs.
import { headOutputs, settled } from './fixtures.mjs';
import { assert } from './runner.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

/**
 * A touch stroke through grid points (28 x 28 over the pad), as pointer events of type touch.
 * @param {Page} page @param {[number, number][]} points
 */
const touchStroke = (page, points) =>
  page.$eval(
    '#page-classify .draw-pad',
    (pad, pts) => {
      const r = pad.getBoundingClientRect();
      const ev = (/** @type {string} */ type, /** @type {[number, number]} */ [gx, gy]) =>
        pad.dispatchEvent(
          new PointerEvent(type, {
            pointerId: 7,
            pointerType: 'touch',
            isPrimary: true,
            bubbles: true,
            cancelable: true,
            clientX: r.left + (gx / 28) * r.width,
            clientY: r.top + (gy / 28) * r.height,
          }),
        );
      const [first, ...rest] = pts;
      if (first) ev('pointerdown', first);
      for (const p of rest) ev('pointermove', p);
      const last = pts[pts.length - 1];
      if (last) ev('pointerup', last);
    },
    points,
  );

/** @param {Harness} h */
export function register({ test, open, drawSeven, renders, nextRender, shot }) {
  test('classify: a stroke changes all four heads', async () => {
    const { page, errors } = await open('classify');
    const before = await headOutputs(page);
    const n = await renders(page, 'classify');
    await drawSeven(page, '#page-classify .draw-pad');
    await nextRender(page, 'classify', n);
    await settled(page, 'classify');
    const after = await headOutputs(page);
    await shot(page, 'classify-stroke.png', { fullPage: true });
    await page.close();
    for (const head of ['logits', 'logSoftmax', 'softmax', 'sigmoid']) {
      const a = before[head];
      const b = after[head];
      assert(a, `${head}: no outputs before the stroke`);
      assert(Array.isArray(b) && b.length === 10, `${head}: expected 10 outputs, got ${JSON.stringify(b)}`);
      assert(a.length !== 10 || b.some((v, i) => Math.abs(v - (a[i] ?? Number.NaN)) > 1e-6), `${head}: outputs did not change`);
    }
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test('classify: touch strokes draw too, and renders leak no tensors', async () => {
    const { page, errors } = await open('classify');
    const tensors = () =>
      page.evaluate(
        () =>
          /** @type {{ logitlab: { tf: { memory(): { numTensors: number } } } }} */ (/** @type {unknown} */ (window)).logitlab.tf.memory()
            .numTensors,
      );
    let n = await renders(page, 'classify');
    await touchStroke(page, [
      [14, 4],
      [14, 12],
      [14, 18],
      [14, 24],
    ]);
    await nextRender(page, 'classify', n);
    await settled(page, 'classify');
    const ink = await page.$eval('#page-classify .draw-pad', (c) => {
      const canvas = /** @type {HTMLCanvasElement} */ (c);
      const d = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let s = 0;
      for (let i = 0; i < d.length; i += 4) s += d[i] ?? 0;
      return s / 255;
    });
    const before = await tensors();
    for (const x of [8, 18, 22]) {
      n = await renders(page, 'classify');
      await touchStroke(page, [
        [x, 6],
        [x + 2, 14],
        [x, 22],
      ]);
      await nextRender(page, 'classify', n);
      await settled(page, 'classify');
    }
    const after = await tensors();
    await page.close();
    assert(ink > 100, `a touch stroke left no ink (${ink})`);
    assert(after === before, `tensor count grew from ${before} to ${after} over 3 renders`);
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });

  test('classify: the layer view shows every stage for the drawn digit, live', async () => {
    const { page, errors } = await open('classify');
    const stages = () =>
      page.$$eval('#layer-view canvas', (cs) =>
        cs.map((c) => ({
          max: Number(c.getAttribute('data-max')),
          label: c.getAttribute('aria-label'),
          px: /** @type {HTMLCanvasElement} */ (c).toDataURL(),
        })),
      );
    const blank = await stages();
    await drawSeven(page, '#page-classify .draw-pad');
    await settled(page, 'classify');
    await page.waitForTimeout(200);
    const drawn = await stages();
    await page.close();
    assert(drawn.length === 6, `expected 6 stages, got ${drawn.length}`);
    drawn.forEach((s, i) => {
      assert(s.max > 0 && /values positive/.test(s.label ?? ''), `stage ${i}: ${JSON.stringify({ max: s.max, label: s.label })}`);
      assert(s.px !== blank[i]?.px, `stage ${i} did not change with the drawing`);
    });
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
