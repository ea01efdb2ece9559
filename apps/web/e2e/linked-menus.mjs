// @ts-check
// Menus and overlay sliders bound to the URL through the app's one pair of helpers (state/linked-select,
// state/linked-slider), fed hostile links: a value the menu does not offer keeps the menu's default, an
// opacity outside 0..100 is named on the status line and the slider keeps its default, and good values
// come back. Registered by run.mjs.

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

/** The values of the controls `ids` and the status line. @param {Page} page @param {string[]} ids */
const controls = (page, ids) =>
  page.evaluate(
    (list) => ({
      values: list.map((id) => /** @type {HTMLInputElement | HTMLSelectElement} */ (document.getElementById(id)).value),
      status: document.getElementById('status-line')?.textContent ?? '',
    }),
    ids,
  );

/** @param {Harness} h */
export function register({ test, open, assert }) {
  test('linked menus and overlays: a hostile link keeps each default and names a bad opacity; a good one comes back', async () => {
    const ids = ['classify-method', 'classify-composite', 'classify-heatmap-opacity'];
    const bad = await open('classify?method=%3Cscript%3E&composite=nope&opacity=250', {});
    const badClassify = await controls(bad.page, ids);
    const options = await bad.page.$$eval('#classify-method option', (os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value));
    await bad.page.close();
    const wanted = options.at(-1) ?? '';
    const good = await open(`classify?method=${wanted}&composite=epsilon&opacity=35`, {});
    const goodClassify = await controls(good.page, ids);
    await good.page.close();
    const explain = await open('explain?explain-composite=nope&compare=lrp&explain-opacity=-3', {});
    const badExplain = await controls(explain.page, ['explain-rule', 'explain-compare', 'heatmap-deep-taylor-opacity']);
    await explain.page.close();
    const generate = await open('generate?beta=7&vae=foo', {});
    const badGenerate = await controls(generate.page, ['vae-model', 'beta-select']);
    await generate.page.close();

    assert(
      badClassify.values.join() === `${options[0]},epsilonPlus,70`,
      `classify kept ${badClassify.values.join()} from a hostile link, not the defaults ${options[0]},epsilonPlus,70`,
    );
    assert(
      badClassify.status.includes('link: opacity "250" is not a whole number from 0 to 100; kept 70'),
      `status after a bad opacity: '${badClassify.status}'`,
    );
    assert(options.length > 1, `the method menu offers ${options.join()}`);
    assert(
      goodClassify.values.join() === `${wanted},epsilon,35`,
      `classify restored ${goodClassify.values.join()}, not ${wanted},epsilon,35`,
    );
    assert(badExplain.values.join() === 'deepTaylor,sensitivity,70', `explain kept ${badExplain.values.join()} from a hostile link`);
    assert(badExplain.status.includes('link: explain-opacity "-3" is not a whole number'), `explain's status: '${badExplain.status}'`);
    // a link that names a beta but no (valid) VAE: the beta is not offered, so the default 1; 'foo' is no VAE, so the default
    assert(badGenerate.values.join() === 'mlp,1', `generate kept ${badGenerate.values.join()} from a hostile link`);
    const errors = [...bad.errors, ...good.errors, ...explain.errors, ...generate.errors];
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  });
}
