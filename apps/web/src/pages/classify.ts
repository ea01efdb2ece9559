import type { MnistConvNet } from '@logitlab/models';
import { on } from '../app';
import { grayRgba } from '../lib/heatmap';
import { argmax } from '../lib/heads';
import { decodePixels, encodePixels } from '../lib/pixels-codec';
import { normalizeLikeMnist } from '../lib/preprocess';
import { codeForConvnet } from '../models/coding';
import { convnetFindings } from '../models/convnet-findings';
import { runConvnets } from '../models/convnet-run';
import { digitBank } from '../models/digit-bank';
import { gradCamPeaks } from '../models/gradcam-peaks';
import { oodStats } from '../models/ood-stats';
import { HEADS } from '../models/recipes';
import { getModel, type ZooEntry } from '../models/zoo';
import { PinnedTarget } from '../state/pinned-target';
import { readParam, writeParams } from '../state/url';
import { blit } from '../ui/draw-canvas';
import { h } from '../ui/dom';
import { HeadCards } from '../ui/head-cards';
import { LayerView } from '../ui/layer-view';
import { PredictionStrip } from '../ui/prediction-strip';
import { ClassifyExplanation } from './classify-explanation';
import { ClassifyPad } from './classify-pad';
import type { Page } from './page';
import { Coalescer, markRendered } from './render-state';

export function createPage(root: HTMLElement): Page {
  const pad = new ClassifyPad();
  const { draw } = pad;
  const live = h('p', { class: 'visually-hidden', id: 'classify-live', 'aria-live': 'polite' });
  const pin = new PinnedTarget();
  const heads = new HeadCards((head, digit) => {
    pin.pin(head, digit);
    void run.request();
  });
  const explanation = new ClassifyExplanation();
  const { method: methodSelect } = explanation.controls;
  const strip = new PredictionStrip('classify-strip', () => {
    explanation.el.scrollIntoView({ block: 'start' });
    methodSelect.focus({ preventScroll: true });
  });
  // A keyboard user reaches the explanation without tabbing through forty bars.
  const skip = h('button', { class: 'skip-link', type: 'button', id: 'classify-skip' }, 'Skip to the explanation controls');
  skip.addEventListener('click', () => methodSelect.focus());
  const layers = new LayerView();
  const layersTitle = h('h3', {}, 'Inside the network');
  const layersCard = h(
    'div',
    { class: 'card', id: 'classify-layers' },
    layersTitle,
    h(
      'p',
      { class: 'sub' },
      'Every layer of the convnet for your digit, live: each tile is one feature map (red positive, blue negative, per-layer scale).',
    ),
    layers.el,
  );
  root.append(
    skip,
    h('h2', {}, 'Classify: one network, four output heads'),
    h(
      'p',
      { class: 'lead' },
      'The same convnet trained four times, differing only in its last layer and the loss it was paired with. Draw a digit and compare what each head outputs.',
    ),
    live,
    // Pad, explanation and heads side by side on a wide screen; on a phone the strip under the pad
    // carries the answer and a heatmap thumbnail.
    h('div', { class: 'classify-top' }, pad.el, strip.el, explanation.el, heads.el),
    h('div', { class: 'row spaced-row' }, layersCard),
  );

  let models: Array<ZooEntry<MnistConvNet>> = [];

  explanation.unpin.addEventListener('click', () => {
    pin.release();
    void run.request();
  });

  const run = new Coalescer(async () => {
    if (!models.length) return;
    const raw = draw.read();
    const img = normalizeLikeMnist(raw);
    blit(pad.preview, grayRgba(img.data), 28, 28);
    const { method, composite } = explanation.controls.value();
    const { target, pinned } = pin;
    const chosen = models.find((e) => e.model.head === target.head) ?? models[0];
    const stats = (await oodStats())?.classify ?? null;
    // why Grad-CAM's peak may sit beside the stroke, measured on held-out digits (scripts/gradcam-peaks.mjs)
    const peaks = method === 'gradCam' ? await gradCamPeaks() : null;
    // The distance check holds for the weights make-ood.mjs measured, and only while they are in use.
    const measured = models.find((e) => e.id === stats?.model && e.source === 'pretrained');
    const result = await runConvnets(models, codeForConvnet(img.data), { chosen, measured, method, composite, digit: target.digit });
    const { outputs } = result;
    models.forEach((e, i) => heads.render(e, outputs[i] ?? [], target));
    layers.set(result.stages);
    layersTitle.textContent = `Inside the network (${target.head} head)`;
    const far = convnetFindings(img.data, result.features, stats);
    const unsupported = far.found.length > 0;
    const label = explanation.show(result, { target, pinned, input: img.data, unsupported, peaks });
    const shown = result.relevance.digit;
    strip.set(
      String(argmax(outputs[models.indexOf(chosen!)] ?? [])),
      `${target.head} head · why ${shown}${pinned ? ' (pinned)' : ''}${unsupported ? ' · unsupported: see the note' : ''}`,
      explanation.heatmap.canvas,
      `heatmap thumbnail: ${label}`,
      unsupported,
    );
    Object.assign(root.dataset, { ood: String(unsupported), oodChecks: far.checks.join(',') });
    const ink = raw.data.some((v) => v > 0.05);
    pad.oodNote.textContent = far.text;
    pad.oodNote.classList.toggle('invisible', !far.text);
    live.textContent = ink
      ? `Predictions: ${models.map((e, i) => `${e.model.head} head ${argmax(outputs[i] ?? [])}`).join(', ')}.`
      : `The pad is blank, yet the heads predict ${models.map((e, i) => argmax(outputs[i] ?? [])).join(', ')}.`;
    writeParams({ 'draw-classify': ink ? encodePixels(raw.data) : null });
    markRendered(root);
  }, root);

  // A new drawing releases a pinned class; the drawing a link restores does not (the link pins it).
  let restoring = false;
  draw.onChange(() => {
    if (restoring) restoring = false;
    else pin.release();
    void run.request();
  });
  explanation.controls.onChange(() => void run.request());
  on('weights', (id) => {
    if (id.startsWith('convnet-')) void run.request();
  });

  let loaded: Promise<void> | null = null;
  return {
    async show() {
      loaded ??= Promise.all(HEADS.map((head) => getModel<MnistConvNet>(`convnet-${head}`))).then(async (list) => {
        models = list;
        pad.bankLabel.textContent = `examples: ${(await digitBank()).label}`;
        const shared = readParam('draw-classify');
        const pixels = shared ? decodePixels(shared, 784) : null;
        if (pixels) {
          restoring = true;
          draw.paint(pixels);
        }
      });
      await loaded;
      await run.request();
      root.dataset.state = 'ready';
    },
    refresh: () => run.request(),
  };
}
