// @ts-check
// The Train tab as TF Playground (issue 25, item 5), at a laptop's and a phone's viewport: a hostile
// link is named in one line per value and replaced by the recipe's settings; optimiser, learning
// rate, batch size and hidden sizes round-trip through the link; two runs of one model get two
// colours and a legend naming their settings; weights of other widths are not offered to the other
// tabs; the messages after Use and Revert stay true; the slow-start hint matches the measured time.
// Registered by run.mjs. Training is three steps a run.

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('./harness.mjs').Harness} Harness
 */

const VIEWPORTS = { desktop: { width: 1320, height: 900 }, phone: { width: 390, height: 844 } };

/** The form as the page shows it. @param {Page} page */
const form = (page) =>
  page.evaluate(() => {
    const [model, optimizer, lr, batch, hidden] = ['train-model', 'train-optimizer', 'train-lr', 'train-batch', 'train-hidden'].map(
      (id) => /** @type {HTMLInputElement} */ (document.getElementById(id)).value,
    );
    return {
      model,
      optimizer,
      lr,
      batch,
      hidden,
      notes: [...document.querySelectorAll('#train-settings-note li')].map((li) => li.textContent ?? ''),
    };
  });

/** Types a value into a form control and leaves it (the change event a user's blur fires). @param {Page} page @param {string} sel @param {string} value */
async function enter(page, sel, value) {
  await page.fill(sel, value);
  await page.$eval(sel, (el) => el.dispatchEvent(new Event('change')));
}

/** Trains three steps with the form as it is, and waits for the end. @param {Page} page */
async function trainThree(page) {
  await page.fill('#train-steps', '3');
  await page.click('#train-start');
  await page.waitForSelector('#page-train[data-train-state="done"]', { timeout: 300_000 });
}

/** @param {Harness} h */
export function register({ test, open, assert }) {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    test(`Train controls (${name}): a hostile link is named and replaced, settings round-trip, runs get own colours, Use / Revert messages stay true`, async () => {
      const hostile = 'train?model=vae-mlp&lr=1e9&batch=abc&optimizer=%3Cscript%3E&hidden=0,5';
      const { page, errors } = await open(hostile, { viewport });
      const opened = await form(page);
      const cleaned = page.url();
      // A value typed into the form is checked by the same parser, and the last good value is kept.
      await page.selectOption('#train-optimizer', 'sgd');
      await enter(page, '#train-lr', '0.003');
      await enter(page, '#train-batch', '32');
      await enter(page, '#train-hidden', '32');
      await enter(page, '#train-lr', '5');
      const typedBad = await form(page);
      const url = page.url();
      const other = await open(url.slice(url.indexOf('#') + 1), { viewport });
      const restored = await form(other.page);
      await other.page.close();

      await page.selectOption('#backend-select', 'wasm');
      await page.waitForFunction(() => document.body.dataset.backend === 'wasm');
      await trainThree(page);
      const narrow = await page.evaluate(() => ({
        result: document.querySelector('#train-result')?.textContent ?? '',
        useDisabled: /** @type {HTMLButtonElement} */ (document.querySelector('#train-use')).disabled,
        firstStepMs: Number(/** @type {HTMLElement} */ (document.querySelector('#page-train')).dataset.firstStepMs),
        hint: document.querySelector('#train-hint')?.textContent ?? '',
      }));
      await enter(page, '#train-hidden', '128');
      await trainThree(page);
      const legend = await page.$$eval('#train-runs li', (lis) =>
        lis.map((li) => ({ text: li.textContent, color: li.getAttribute('data-color') })),
      );
      await page.click('#train-use');
      await page.waitForFunction(() => document.querySelector('#page-train')?.getAttribute('data-result') === 'used');
      const used = await page.$eval('#train-result', (el) => el.textContent ?? '');
      await page.click('#weights-revert');
      await page.waitForFunction(() => document.querySelector('#page-train')?.getAttribute('data-result') === 'reverted');
      const reverted = await page.$eval('#train-result', (el) => el.textContent ?? '');
      const inUse = await page.$eval('#page-train', (el) => el.getAttribute('data-in-use'));
      await page.close();

      assert(
        opened.model === 'vae-mlp' &&
          opened.optimizer === 'adam' &&
          opened.lr === '0.001' &&
          opened.batch === '128' &&
          opened.hidden === '128',
        `the hostile link opened ${JSON.stringify(opened)}, not vae-mlp's recipe`,
      );
      assert(
        opened.notes.length === 4 &&
          /learning rate "1e9" is not a number from 0\.00001 to 1; using 0\.001/.test(opened.notes[0] ?? '') &&
          /batch size "abc"/.test(opened.notes[1] ?? '') &&
          /optimizer "<script>" is not one of sgd, momentum, adam/.test(opened.notes[2] ?? '') &&
          /hidden sizes "0,5"/.test(opened.notes[3] ?? ''),
        `notes for the hostile link: ${JSON.stringify(opened.notes)}`,
      );
      assert(/[?&]lr=0\.001&batch=128&optimizer=adam&hidden=128/.test(cleaned), `the hostile link was not cleaned: ${cleaned}`);
      assert(
        typedBad.lr === '0.003' && typedBad.notes.length === 1 && /learning rate "5" .*; keeping 0\.003/.test(typedBad.notes[0] ?? ''),
        `after typing lr 5: ${JSON.stringify(typedBad)}`,
      );
      const keys = /** @type {const} */ (['model', 'optimizer', 'lr', 'batch', 'hidden']);
      assert(
        keys.every((k) => restored[k] === typedBad[k]) && restored.notes.length === 0 && typedBad.hidden === '32',
        `the link ${url} restored ${JSON.stringify(restored)}, not ${JSON.stringify(typedBad)}`,
      );
      assert(
        narrow.useDisabled && /hidden sizes \(32\) differ from the vae-mlp the other tabs use \(128\)/.test(narrow.result),
        `a run with other widths: Use disabled ${narrow.useDisabled}, '${narrow.result}'`,
      );
      const shouldHint = narrow.firstStepMs >= 2000;
      assert(
        Number.isFinite(narrow.firstStepMs) &&
          (shouldHint
            ? narrow.hint.startsWith(`The first step took ${(narrow.firstStepMs / 1000).toFixed(1)} s on wasm`)
            : narrow.hint === ''),
        `first step after ${narrow.firstStepMs} ms, hint '${narrow.hint}'`,
      );
      assert(
        legend.length === 2 &&
          legend[0]?.color !== legend[1]?.color &&
          legend[0]?.text === '#1 vae-mlp: sgd lr 0.003, batch 32, hidden 32' &&
          legend[1]?.text === '#2 vae-mlp: sgd lr 0.003, batch 32, hidden 128',
        `legend: ${JSON.stringify(legend)}`,
      );
      assert(/^The other tabs now use the weights of run #2 vae-mlp \(3 steps\)\.$/.test(used), `after Use: '${used}'`);
      assert(
        inUse === 'pretrained' && /^Reverted: the other tabs use the shipped vae-mlp weights again\.$/.test(reverted),
        `after Revert: '${reverted}' (in use: ${inUse})`,
      );
      console.log(`       ${name}: first step after ${narrow.firstStepMs} ms on wasm`);
      assert(errors.length + other.errors.length === 0, `console errors: ${[...errors, ...other.errors].join(' | ')}`);
    });
  }
}
