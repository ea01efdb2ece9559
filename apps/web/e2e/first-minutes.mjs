// @ts-check
// The first five minutes of a newcomer (issue 25), at a laptop's and a phone's viewport: the
// explanation is on the first screen after a stroke, a pinned class is shown as pinned and released,
// inputs unlike the training data are flagged, and every caption names its method and what its sum
// should equal. Registered by run.mjs, which serves the build and owns the browser.

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Viewport} Viewport
 * @typedef {import('./harness.mjs').Harness} Harness
 */

/** @type {Record<string, Viewport>} */
const VIEWPORTS = { desktop: { width: 1320, height: 900 }, phone: { width: 390, height: 844 } };

/** @param {Page} page @param {'classify' | 'explain'} id */
const settled = (page, id) => page.waitForFunction((i) => !document.querySelector(`#page-${i}`)?.hasAttribute('data-busy'), id);

/**
 * Presses a control from the keyboard (focus, then Enter): what a keyboard user does, and on a phone
 * it cannot land on the sticky strip that covers the bottom of the screen.
 * @param {Page} page @param {string} selector
 */
async function press(page, selector) {
  await page.focus(selector);
  await page.keyboard.press('Enter');
}

/** @param {Page} page @param {string} selector */
const boxOf = async (page, selector) => {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} has no box (not displayed)`);
  return box;
};

/** @param {Page} page */
const explained = (page) =>
  page.$eval('#classify-explain', (el) => ({
    target: el.getAttribute('data-target'),
    pinned: el.getAttribute('data-pinned'),
    method: el.getAttribute('data-method'),
    unpinHidden: /** @type {HTMLButtonElement} */ (el.querySelector('#classify-unpin')).hidden,
  }));
/** @param {Page} page @param {string} head */
const topOf = (page, head) => page.$eval(`.head-card[data-head="${head}"]`, (c) => c.getAttribute('data-top'));

/** @param {Harness} h */
export function register({ test, open, assert, drawSeven, renders, nextRender, shot }) {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`first screen (${name}): after a stroke the prediction and its heatmap are in view without scrolling`, async () => {
      const { page, errors } = await open('classify', { viewport });
      const n = await renders(page, 'classify');
      await drawSeven(page, '#page-classify .draw-pad');
      await nextRender(page, 'classify', n);
      await settled(page, 'classify');
      // The phone shows the answer in the strip under the pad; the laptop the explanation card itself.
      const heat = name === 'phone' ? '#classify-strip-heatmap' : '#classify-heatmap';
      const pred = name === 'phone' ? '#classify-strip .strip-pred' : '.head-card[data-head="logits"] .pred';
      const scrollY = await page.evaluate(() => window.scrollY);
      const boxes = {
        pad: await boxOf(page, '#page-classify .draw-pad'),
        heatmap: await boxOf(page, heat),
        prediction: await boxOf(page, pred),
      };
      // Not merely inside the window: the topmost element at the heatmap's centre is the heatmap.
      const onTop = await page.$eval(heat, (c) => {
        const r = c.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === c;
      });
      const stripText = await page.$eval('#classify-strip', (el) => el.textContent ?? '');
      await shot(page, `first-screen-${name}.png`);
      await page.close();
      console.log(
        `       ${name}: ${Object.entries(boxes)
          .map(([k, b]) => `${k} y ${b.y.toFixed(0)}-${(b.y + b.height).toFixed(0)}`)
          .join(', ')} of ${viewport.height}`,
      );
      assert(scrollY === 0, `the page scrolled to ${scrollY}`);
      for (const [k, b] of Object.entries(boxes)) {
        assert(
          b.x >= 0 && b.y >= 0 && b.x + b.width <= viewport.width && b.y + b.height <= viewport.height && b.width > 0,
          `${k} box ${JSON.stringify(b)} is not inside the ${viewport.width} x ${viewport.height} viewport`,
        );
      }
      assert(onTop, `${heat} is covered by another element`);
      if (name === 'phone') assert(/why \d/.test(stripText), `the strip says '${stripText}'`);
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });

    test(`pinning (${name}): the prediction is explained by default, a pressed bar pins and keeps focus, one control or a new drawing releases it`, async () => {
      const { page, errors } = await open('classify', { viewport });
      await drawSeven(page, '#page-classify .draw-pad');
      await settled(page, 'classify');
      const initial = await explained(page);
      const top = await topOf(page, 'logits');
      // Pin a class that is not the prediction.
      const other = String((Number(top) + 3) % 10);
      const bar = `.head-card[data-head="logits"] .bar[data-digit="${other}"]`;
      let n = await renders(page, 'classify');
      await page.focus(bar);
      await page.keyboard.press('Space');
      await nextRender(page, 'classify', n);
      await settled(page, 'classify');
      const pinned = await explained(page);
      const focus = await page.evaluate(() => ({
        digit: document.activeElement?.getAttribute('data-digit'),
        head: document.activeElement?.closest('.head-card')?.getAttribute('data-head'),
        pressed: document.activeElement?.getAttribute('aria-pressed'),
      }));
      const pinnedUrl = page.url();
      const title = await page.$eval('#classify-why', (el) => el.textContent ?? '');
      // One control unpins.
      n = await renders(page, 'classify');
      await press(page, '#classify-unpin');
      await nextRender(page, 'classify', n);
      await settled(page, 'classify');
      const unpinned = await explained(page);
      const unpinnedUrl = page.url();
      // Pin again, then change the drawing (an example digit): released.
      await page.focus(bar);
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.querySelector('#classify-explain')?.getAttribute('data-pinned') === 'true');
      await settled(page, 'classify');
      n = await renders(page, 'classify');
      await press(page, '#classify-pick [data-digit="2"]');
      await page.waitForFunction(() => document.querySelector('#classify-explain')?.getAttribute('data-pinned') === 'false');
      await settled(page, 'classify');
      const redrawn = await explained(page);
      const redrawnTop = await topOf(page, 'logits');
      await page.close();
      assert(
        initial.target === top && initial.pinned === 'false' && initial.unpinHidden,
        `by default: ${JSON.stringify(initial)}, top ${top}`,
      );
      assert(
        pinned.target === other && pinned.pinned === 'true' && !pinned.unpinHidden,
        `after pressing bar ${other}: ${JSON.stringify(pinned)}`,
      );
      assert(/pinned/.test(title), `the title of a pinned class says '${title}'`);
      assert(
        focus.digit === other && focus.head === 'logits' && focus.pressed === 'true',
        `focus after the press: ${JSON.stringify(focus)}`,
      );
      assert(/[?&]target=/.test(pinnedUrl) && !/[?&]target=/.test(unpinnedUrl), `URL pinned ${pinnedUrl}, unpinned ${unpinnedUrl}`);
      assert(
        unpinned.target === top && unpinned.pinned === 'false' && unpinned.unpinHidden,
        `after unpinning: ${JSON.stringify(unpinned)}`,
      );
      assert(
        redrawn.target === redrawnTop && redrawn.pinned === 'false',
        `after a new drawing: ${JSON.stringify(redrawn)}, top ${redrawnTop}`,
      );
      assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
    });

    test(`out of distribution (${name}): a blank pad and a synthetic 6 | 1 pair are flagged, 3 | 7 is not`, async () => {
      const c = await open('classify', { viewport });
      await settled(c.page, 'classify');
      const blankClassify = await c.page.$eval('#page-classify', (el) => ({
        ood: el.getAttribute('data-ood'),
        checks: el.getAttribute('data-ood-checks'),
        note: el.querySelector('#classify-ood')?.textContent ?? '',
        flag: el.querySelector('#classify-why .flag')?.textContent ?? '',
      }));
      await c.page.close();
      assert(c.errors.length === 0, `classify console errors: ${c.errors.join(' | ')}`);

      const { page, errors: explainErrors } = await open('explain', { viewport });
      // The synthetic examples, which the explainer (trained on MNIST) answers unreliably: a build with
      // MNIST ships real test digits (real-digits.mjs), whose 6 | 1 it answers right ("yes": 1 is a
      // target digit, f ~ 104), so the shipped subset is refused here and the page falls back.
      await page.route(/\/mnist\/t10k-subset-/, (route) => route.fulfill({ status: 404, body: 'gone' }));
      await page.reload();
      await page.waitForSelector('#page-explain[data-state="ready"]');
      await page.waitForFunction(() => (document.querySelector('#explain-bank')?.textContent ?? '').startsWith('examples: synthetic'));
      const state = () =>
        page.$eval('#page-explain', (el) => ({
          ood: el.getAttribute('data-ood'),
          checks: el.getAttribute('data-ood-checks'),
          output: Number(el.getAttribute('data-output')),
          note: /** @type {HTMLElement} */ (el.querySelector('#explain-ood')).hidden
            ? ''
            : (el.querySelector('#explain-ood')?.textContent ?? ''),
          verdict: el.querySelector('#explain-verdict')?.textContent ?? '',
        }));
      /** @param {number} left @param {number} right */
      const pick = async (left, right) => {
        const n = await renders(page, 'explain');
        await press(page, `#pick-left [data-digit="${left}"]`);
        await press(page, `#pick-right [data-digit="${right}"]`);
        await nextRender(page, 'explain', n);
        await settled(page, 'explain');
        // both halves painted (the second pick may land in a later render)
        await page.waitForFunction(() => document.querySelector('#page-explain')?.getAttribute('data-ood-checks') !== null);
        return state();
      };
      let n = await renders(page, 'explain');
      await press(page, '#explain-clear');
      await nextRender(page, 'explain', n);
      await settled(page, 'explain');
      const blank = await state();
      const sixOne = await pick(6, 1);
      await shot(page, `explain-6-1-${name}.png`);
      const threeSeven = await pick(3, 7);
      await page.close();
      console.log(
        `       blank f ${blank.output.toFixed(1)}, 6|1 f ${sixOne.output.toFixed(1)}, 3|7 f ${threeSeven.output.toFixed(1)}; 6|1: ${sixOne.note}`,
      );
      assert(
        blankClassify.ood === 'true' && /pad holds no ink/.test(blankClassify.note),
        `blank Classify: ${JSON.stringify(blankClassify)}`,
      );
      assert(blankClassify.flag === 'unsupported', `blank Classify's explanation is not flagged: ${JSON.stringify(blankClassify)}`);
      assert(
        blank.ood === 'true' && /left half holds no ink/.test(blank.note) && /unreliable/.test(blank.verdict),
        `blank Explain: ${JSON.stringify(blank)}`,
      );
      assert(sixOne.ood === 'true' && sixOne.note.length > 0 && /unreliable/.test(sixOne.verdict), `6 | 1: ${JSON.stringify(sixOne)}`);
      assert(sixOne.checks === 'ink,distance,reliability', `6 | 1 was checked for ${sixOne.checks}`);
      assert(
        threeSeven.ood === 'false' && threeSeven.note === '' && !/unreliable/.test(threeSeven.verdict),
        `3 | 7: ${JSON.stringify(threeSeven)}`,
      );
      // the refused files are logged as failed loads; nothing else may be
      const pageErrors = explainErrors.filter((e) => !/404|Failed to load resource/.test(e));
      assert(pageErrors.length === 0, `explain console errors: ${pageErrors.join(' | ')}`);
    });

    test(`defaults and captions (${name}): LRP opens on epsilonPlus, captions follow the method, identical composites say why, Generate opens on the 784-128-20 VAE`, async () => {
      const { page, errors } = await open('classify', { viewport });
      await drawSeven(page, '#page-classify .draw-pad');
      await settled(page, 'classify');
      const composite = await page.$eval('#classify-composite', (s) => /** @type {HTMLSelectElement} */ (s).value);
      /** @type {Record<string, string>} */
      const captions = {};
      for (const method of ['lrp', 'integratedGradients', 'gradient', 'gradCam']) {
        await page.selectOption('#classify-method', method);
        await page.waitForFunction((m) => document.querySelector('#classify-explain')?.getAttribute('data-method') === m, method);
        await settled(page, 'classify');
        captions[method] = await page.$eval('#classify-caption', (el) => el.textContent ?? '');
      }
      await page.close();
      const e = await open('explain', { viewport });
      /** @type {Record<string, { note: string, row: string, legend: string }>} */
      const compare = {};
      for (const method of ['integratedGradients', 'sensitivity', 'gradientTimesInput']) {
        const n = await renders(e.page, 'explain');
        await e.page.selectOption('#explain-compare', method);
        await nextRender(e.page, 'explain', n);
        await settled(e.page, 'explain');
        compare[method] = await e.page.evaluate(() => ({
          note: document.querySelector('#compare-note')?.textContent ?? '',
          legend: document.querySelector('#heatmap-sensitivity-legend')?.textContent ?? '',
          row: [...document.querySelectorAll('#page-explain .stats dt')]
            .map((d) => `${d.textContent}: ${d.nextElementSibling?.textContent}`)
            .join(' | '),
        }));
      }
      const options = await e.page.$$eval('#explain-rule option', (os) =>
        os.map((o) => ({ value: o.getAttribute('value'), text: o.textContent, title: o.getAttribute('title') })),
      );
      let n = await renders(e.page, 'explain');
      await e.page.selectOption('#explain-rule', 'epsilonPlus');
      await nextRender(e.page, 'explain', n);
      await settled(e.page, 'explain');
      const ruleNote = await e.page.$eval('#explain-rule-note', (el) =>
        /** @type {HTMLElement} */ (el).hidden ? '' : (el.textContent ?? ''),
      );
      const lrpCaption = await e.page.$eval('#lrp-note', (el) => el.textContent ?? '');
      await e.page.close();
      const g = await open('generate', { viewport });
      const vae = await g.page.$eval('#vae-model', (s) => /** @type {HTMLSelectElement} */ (s).value);
      const model = await g.page.$eval('#page-generate .card:nth-child(2) h3', (el) => el.getAttribute('data-model'));
      await g.page.close();
      assert(composite === 'epsilonPlus', `Classify's LRP composite opens on ${composite}`);
      assert(
        /^LRP epsilonPlus: Σ R = -?\d+\.\d+, should equal f\(x\) = -?\d+\.\d+/.test(captions.lrp ?? ''),
        `LRP caption '${captions.lrp}'`,
      );
      assert(
        /^integrated gradients: .*should equal f\(x\) − f\(blank\) = /.test(captions.integratedGradients ?? ''),
        `IG caption '${captions.integratedGradients}'`,
      );
      assert(/^gradient ∂f\/∂x: Σ R = .*no required value/.test(captions.gradient ?? ''), `gradient caption '${captions.gradient}'`);
      assert(/^Grad-CAM.*no required value/.test(captions.gradCam ?? ''), `Grad-CAM caption '${captions.gradCam}'`);
      const ig = compare.integratedGradients;
      assert(ig && /integrated gradients: Σ should equal f\(x\) − f\(blank\)/.test(ig.note), `IG note '${ig?.note}'`);
      assert(ig && /Σ integrated gradients: .*should equal f\(x\) − f\(blank\) = /.test(ig.row), `IG row '${ig?.row}'`);
      for (const m of ['sensitivity', 'gradientTimesInput']) {
        const c = compare[m];
        assert(
          c && /no required value/.test(c.note) && /no required value/.test(c.row) && !/no relation/.test(c.row),
          `${m}: ${JSON.stringify(c)}`,
        );
      }
      // sensitivity is a square: its legend has no negative half
      assert(/^0.*never negative/.test(compare.sensitivity?.legend ?? ''), `sensitivity legend '${compare.sensitivity?.legend}'`);
      assert(
        /^−\d.*against · 0 · for/.test(compare.gradientTimesInput?.legend ?? ''),
        `gradient x input legend '${compare.gradientTimesInput?.legend}'`,
      );
      const marked = options.filter((o) => /= epsilon here/.test(o.text ?? '')).map((o) => o.value);
      assert(marked.join() === 'epsilonPlus,epsilonAlpha2Beta1', `composites marked identical: ${marked} (${JSON.stringify(options)})`);
      assert(
        options.every((o) => !/= epsilon here/.test(o.text ?? '') || /for convolution layers/.test(o.title ?? '')),
        'a marked composite has no reason',
      );
      assert(/^epsilonPlus gives the same map as epsilon on this network: .*convolution layers/.test(ruleNote), `rule note '${ruleNote}'`);
      assert(lrpCaption.startsWith('LRP, composite epsilonPlus: Σ R should equal f(x)'), `LRP caption '${lrpCaption}'`);
      assert(vae === 'mlp' && model === 'vae-mlp', `Generate opens on '${vae}' (${model})`);
      assert(
        errors.length + e.errors.length + g.errors.length === 0,
        `console errors: ${[...errors, ...e.errors, ...g.errors].join(' | ')}`,
      );
    });
  }
}
