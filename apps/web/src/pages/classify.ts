import * as tf from '@tensorflow/tfjs-core';
import type { ConvNetHead, MnistConvNet } from '@logitlab/models';
import { MNIST_MEAN, MNIST_STD } from '@logitlab/datasets';
import { exclusive, on } from '../app';
import { grayRgba, maxAbs } from '../lib/heatmap';
import { argmax, barLengths, LESSONS, sumLine } from '../lib/heads';
import { decodePixels, encodePixels } from '../lib/pixels-codec';
import { normalizeLikeMnist } from '../lib/preprocess';
import { convnetStages, type Stage } from '../models/activations';
import { codeForConvnet } from '../models/coding';
import { digitBank, nextExample } from '../models/digit-bank';
import { COMPOSITES, DEFAULT_COMPOSITE, explainOutput, METHOD_LABELS, METHODS, type Method } from '../models/explainer';
import { oodStats, type PageOodStats } from '../models/ood-stats';
import { gradCamPeakNote, gradCamPeaks } from '../models/gradcam-peaks';
import { conservationLine } from '../models/sum-rule';
import { distanceFinding, inkFinding, inkMass, nearestDistance } from '../lib/ood';
import { PredictionStrip } from '../ui/prediction-strip';
import { HEADS } from '../models/recipes';
import { accuracyLabel, getModel, type ZooEntry } from '../models/zoo';
import { readParam, writeParams } from '../state/url';
import { blit, DrawCanvas } from '../ui/draw-canvas';
import { canvas, fmt, h } from '../ui/dom';
import { HeatmapView } from '../ui/heatmap-view';
import { LayerView } from '../ui/layer-view';
import type { Page } from './page';
import { Coalescer, markRendered } from './render-state';

/** A row of ten buttons that put an example digit on the pad: Classify without a pointer. */
function picker(): HTMLElement {
  return h(
    'div',
    { class: 'picker classify-picker', id: 'classify-pick', role: 'group', 'aria-label': 'put an example digit on the pad' },
    h('span', { class: 'muted' }, 'example:'),
    ...Array.from({ length: 10 }, (_, d) =>
      h('button', { class: 'btn', 'data-digit': d, 'aria-label': `put an example ${d} on the pad` }, String(d)),
    ),
  );
}

/** What ood.json's training statistics say about the drawing as the network sees it. */
function inputFindings(
  pixels: Float32Array,
  features: Float32Array | null,
  stats: PageOodStats | null,
): { found: string[]; checks: string[]; text: string } {
  if (!stats) return { found: [], checks: [], text: 'Not checked against the training digits: weights/ood.json is missing.' };
  const checks = ['ink'];
  const all = [inkFinding(inkMass(pixels), stats.ink, 'the pad')];
  if (features) {
    checks.push('distance');
    all.push(distanceFinding(nearestDistance(features, stats.reference), stats.distance, `${stats.model}'s ${stats.layer}`));
  }
  const found = all.filter((f): f is string => f !== null);
  const text = found.length
    ? `Far from the training digits, so no head's answer is supported (a classifier has no "none of these" output): ${found.join('; ')}.`
    : '';
  return { found, checks, text };
}

export function createPage(root: HTMLElement): Page {
  const pad = h('div', { class: 'card pad-card' });
  const preview = canvas(84, 84, {
    class: 'preview',
    role: 'img',
    'aria-label': 'what the networks see: the drawing centred and scaled like MNIST, 28 by 28',
  });
  const clear = h('button', { class: 'btn', id: 'classify-clear' }, 'Clear');
  const bankLabel = h('span', { class: 'muted', id: 'classify-bank' }, '');
  pad.append(h('h3', {}, 'Draw a digit'));
  const draw = new DrawCanvas(pad, {
    width: 28,
    height: 28,
    scale: 10,
    pen: 2.4,
    label: 'digit drawing pad: draw with a mouse, pen or finger, or put an example digit on it with the buttons below',
  });
  pad.append(picker(), bankLabel, h('div', { class: 'toolbar' }, clear, h('span', { class: 'muted' }, 'network input:'), preview));

  const live = h('p', { class: 'visually-hidden', id: 'classify-live', 'aria-live': 'polite' });
  // Says when the drawing is unlike the training digits: a classifier has no "none of these" output,
  // so on a blank pad every head still answers.
  const oodNote = h('p', { class: 'note', id: 'classify-ood' }, '');
  const heads = h('div', { class: 'heads' });
  const cards = new Map<ConvNetHead, HTMLElement>();
  for (const head of HEADS) {
    const l = LESSONS[head];
    const card = h(
      'div',
      { class: 'card head-card', 'data-head': head },
      h('h3', {}, `${l.title} head`),
      h('div', { class: 'pairing' }, 'trained with ', h('code', {}, l.loss)),
      h('div', { class: 'lesson' }, l.lesson),
      h('div', { class: 'pred' }, '–'),
      h('div', { class: 'range' }, l.range),
      h('div', { class: 'bars', role: 'group', 'aria-label': `${head} head outputs; press one to explain it` }),
      h('div', { class: 'muted sum' }, ''),
      h('div', { class: 'toolbar' }, h('span', { class: 'badge source' }, 'loading…'), h('span', { class: 'muted accuracy' }, '')),
    );
    cards.set(head, card);
    heads.append(card);
  }

  // Explanation of one head's output for one class, chosen by pressing a bar.
  const methodSelect = h(
    'select',
    { id: 'classify-method', 'aria-label': 'explanation method' },
    ...METHODS.map((m) => h('option', { value: m }, METHOD_LABELS[m])),
  );
  const compositeSelect = h(
    'select',
    { id: 'classify-composite', 'aria-label': 'LRP composite' },
    ...COMPOSITES.map((c) => h('option', { value: c }, c)),
  );
  compositeSelect.value = DEFAULT_COMPOSITE;
  const compositeLabel = h('label', { for: 'classify-composite' }, 'composite');
  const wantOpacity = Number(readParam('opacity'));
  const heatmap = new HeatmapView({
    id: 'classify-heatmap',
    width: 28,
    height: 28,
    scale: 8,
    ...(readParam('opacity') !== null && wantOpacity >= 0 && wantOpacity <= 100 ? { opacity: wantOpacity / 100 } : {}),
  });
  // The overlay is part of the view a link reproduces.
  heatmap.slider.addEventListener('change', () => writeParams({ opacity: heatmap.slider.value }));
  const why = h('h3', { id: 'classify-why' }, 'Why?');
  // A pressed bar pins its class; one control returns to explaining the prediction.
  const unpin = h('button', { class: 'btn', id: 'classify-unpin', type: 'button', hidden: true }, 'Unpin: explain the prediction');
  const caption = h('p', { class: 'muted', id: 'classify-caption' }, '');
  const fallback = h('p', { class: 'note', id: 'classify-fallback', hidden: true });
  const explainCard = h(
    'div',
    { class: 'card explain-card', id: 'classify-explain' },
    why,
    h(
      'p',
      { class: 'sub' },
      'The top prediction is explained; press a bar of any head to pin that class. Red pixels raise the output, blue ones lower it.',
    ),
    unpin,
    h('div', { class: 'controls' }, h('label', { for: 'classify-method' }, 'method'), methodSelect, compositeLabel, compositeSelect),
    heatmap.el,
    caption,
    fallback,
  );
  const strip = new PredictionStrip('classify-strip', () => {
    explainCard.scrollIntoView({ block: 'start' });
    methodSelect.focus({ preventScroll: true });
  });
  // A keyboard user reaches the explanation without tabbing through forty bars.
  const skip = h('button', { class: 'skip-link', type: 'button', id: 'classify-skip' }, 'Skip to the explanation controls');
  skip.addEventListener('click', () => methodSelect.focus());
  // Below the pad and always taking its space, so showing or hiding it never moves the pad mid-stroke.
  pad.append(oodNote);
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
    h('div', { class: 'classify-top' }, pad, strip.el, explainCard, heads),
    h('div', { class: 'row spaced-row' }, layersCard),
  );

  let models: Array<ZooEntry<MnistConvNet>> = [];
  let target: { head: ConvNetHead; digit: number | null } = { head: (readParam('head') as ConvNetHead) ?? 'logits', digit: null };
  if (!HEADS.includes(target.head)) target.head = 'logits';
  const t = Number(readParam('target'));
  if (Number.isInteger(t) && t >= 0 && t <= 9 && readParam('target') !== null) target.digit = t;
  const m = readParam('method') as Method | null;
  if (m && METHODS.includes(m)) methodSelect.value = m;
  const wantComposite = readParam('composite');
  const pinned = (): boolean => target.digit !== null;
  if (wantComposite && COMPOSITES.includes(wantComposite)) compositeSelect.value = wantComposite;
  // The composite only means something for LRP.
  const showComposite = (): void => {
    const lrp = (methodSelect.value as string) === 'lrp';
    compositeSelect.hidden = !lrp;
    compositeLabel.hidden = !lrp;
  };
  showComposite();

  function render(entry: ZooEntry<MnistConvNet>, values: number[]): void {
    const head = entry.model.head;
    const card = cards.get(head);
    if (!card) return;
    const top = argmax(values);
    const lengths = barLengths(head, values);
    card.dataset.outputs = JSON.stringify(values);
    card.dataset.top = String(top);
    // A head whose outputs all tie (the sigmoid head saturates at 1 everywhere) makes no decision.
    const ties = values.filter((v) => Math.abs(v - (values[top] ?? 0)) < 1e-6).length;
    card.querySelector('.pred')!.textContent = ties > 1 ? `${ties}-way tie` : `${top}`;
    card.querySelector('.sum')!.textContent = sumLine(head, values);
    const badge = card.querySelector('.source')!;
    badge.textContent = entry.source;
    badge.className = `badge source ${entry.source.split(' ')[0]}`;
    card.querySelector('.accuracy')!.textContent = accuracyLabel(entry);
    const bars = card.querySelector('.bars')!;
    // The bars are rebuilt each render: a focused one hands its focus to its successor.
    const focused = bars.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.digit : undefined;
    bars.replaceChildren(
      ...values.map((v, d) => {
        const fill = h('div', { class: 'fill' });
        fill.style.width = `${Math.max(1, (lengths[d] ?? 0) * 100)}%`;
        const pressed = target.head === head && (target.digit ?? -1) === d;
        const bar = h(
          'button',
          {
            class: `bar${d === top ? ' top' : ''}`,
            'data-digit': d,
            'aria-pressed': String(pressed),
            'aria-label': `${head} output for ${d}: ${fmt(v, 3)}; explain`,
          },
          h('span', {}, String(d)),
          h('div', { class: 'track' }, fill),
          h('span', { class: 'val' }, fmt(v, 3)),
        );
        bar.addEventListener('click', () => {
          target = { head, digit: d };
          writeParams({ head, target: String(d) });
          void run.request();
        });
        return bar;
      }),
    );
    if (focused !== undefined) bars.querySelector<HTMLElement>(`.bar[data-digit="${focused}"]`)?.focus();
  }

  /** Back to explaining the top prediction (the unpin control, and any change of the drawing). */
  function release(): void {
    if (!pinned()) return;
    target = { head: target.head, digit: null };
    writeParams({ target: null });
  }
  unpin.addEventListener('click', () => {
    release();
    void run.request();
  });

  const run = new Coalescer(async () => {
    if (!models.length) return;
    const raw = draw.read();
    const img = normalizeLikeMnist(raw);
    blit(preview, grayRgba(img.data), 28, 28);
    const coded = codeForConvnet(img.data);
    const method = methodSelect.value as Method;
    const chosen = models.find((e) => e.model.head === target.head) ?? models[0];
    const stats = (await oodStats())?.classify ?? null;
    // why Grad-CAM's peak may sit beside the stroke, measured on held-out digits (scripts/gradcam-peaks.mjs)
    const peaks = method === 'gradCam' ? await gradCamPeaks() : null;
    // The distance check holds for the weights make-ood.mjs measured, and only while they are in use.
    const measured = models.find((e) => e.id === stats?.model && e.source === 'pretrained');
    const { outputs, relevance, stages, features } = await exclusive(async () => {
      const x = tf.tensor4d(coded, [1, 28, 28, 1]);
      try {
        const ys = models.map((e) => e.model.call(x));
        const values = (await Promise.all(ys.map((y) => y.data()))).map((v) => Array.from(v));
        tf.dispose(ys);
        const digit = target.digit ?? argmax(values[models.indexOf(chosen!)] ?? []);
        const rel = chosen
          ? await explainOutput(chosen.model, x, {
              method,
              target: digit,
              // pixel 0 and 1 in the convnet's coding: the blank baseline and LRP's zB box
              baseline: -MNIST_MEAN / MNIST_STD,
              bounds: [-MNIST_MEAN / MNIST_STD, (1 - MNIST_MEAN) / MNIST_STD],
              composite: compositeSelect.value || undefined,
            })
          : { relevance: new Float32Array(784), total: 0, should: 0, backend: tf.getBackend() };
        const inside: Stage[] = chosen ? await convnetStages(chosen.model, x) : [];
        const penultimate = measured === chosen ? inside : measured ? await convnetStages(measured.model, x) : [];
        return {
          outputs: values,
          relevance: { digit, values: rel.relevance, total: rel.total, should: rel.should, backend: rel.backend },
          stages: inside,
          // fc1 + relu, the layer make-ood.mjs measured
          features: penultimate[4]?.values ?? null,
        };
      } finally {
        x.dispose();
      }
    });
    models.forEach((e, i) => render(e, outputs[i] ?? []));
    layers.set(stages);
    layersTitle.textContent = `Inside the network (${target.head} head)`;
    const shown = relevance.digit;
    const far = inputFindings(img.data, features, stats);
    const methodName = `${METHOD_LABELS[method]}${method === 'lrp' ? ` ${compositeSelect.value}` : ''}`;
    why.replaceChildren(
      `Why ${shown}? `,
      h('span', { class: 'muted' }, `${target.head} head, ${methodName} `),
      pinned() ? h('span', { class: 'badge pin' }, 'pinned') : h('span', { class: 'badge' }, 'top prediction'),
      ...(far.found.length ? [h('span', { class: 'flag' }, 'unsupported')] : []),
    );
    unpin.hidden = !pinned();
    unpin.textContent = `Unpin ${shown}: explain the prediction`;
    const label = `relevance of each input pixel for the ${target.head} head's output ${shown}, by ${methodName}; colour scale ±${fmt(maxAbs(relevance.values), 3)}`;
    heatmap.set(img.data, relevance.values, [0, 1], label);
    caption.textContent = `${methodName}: ${conservationLine(method, relevance.total, relevance.should)}${
      method === 'lrp' || method === 'integratedGradients' ? `; f(x) is the logit of ${shown}` : ''
    }.${peaks ? ` ${gradCamPeakNote(peaks)}` : ''}`;
    // The heads ran on the page's backend; an explanation webgpu cannot give ran elsewhere, and says so.
    const page = tf.getBackend();
    fallback.hidden = relevance.backend === page;
    fallback.textContent = fallback.hidden
      ? ''
      : `Explanation computed on ${relevance.backend}: explain() reads its conservation report synchronously, which ${page} cannot do reliably.`;
    explainCard.dataset.backend = relevance.backend;
    explainCard.dataset.pageBackend = page;
    const chosenOutputs = outputs[models.indexOf(chosen!)] ?? [];
    strip.set(
      String(argmax(chosenOutputs)),
      `${target.head} head · why ${shown}${pinned() ? ' (pinned)' : ''}${far.found.length ? ' · unsupported: see the note' : ''}`,
      heatmap.canvas,
      `heatmap thumbnail: ${label}`,
      far.found.length > 0,
    );
    Object.assign(explainCard.dataset, {
      head: target.head,
      target: String(shown),
      method,
      pinned: String(pinned()),
      lit: String(relevance.values.filter((v) => Math.abs(v) > 0.05 * maxAbs(relevance.values)).length),
    });
    Object.assign(root.dataset, { ood: String(far.found.length > 0), oodChecks: far.checks.join(',') });
    const ink = raw.data.some((v) => v > 0.05);
    oodNote.textContent = far.text;
    oodNote.classList.toggle('invisible', !far.text);
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
    else release();
    void run.request();
  });
  clear.addEventListener('click', () => draw.clear());
  methodSelect.addEventListener('change', () => {
    writeParams({ method: methodSelect.value });
    showComposite();
    void run.request();
  });
  compositeSelect.addEventListener('change', () => {
    writeParams({ composite: compositeSelect.value });
    void run.request();
  });
  root.querySelector('#classify-pick')?.addEventListener('click', (e) => {
    const d = (e.target as HTMLElement).dataset.digit;
    if (d === undefined) return;
    void digitBank().then((b) => draw.paint(nextExample(b, Number(d))));
  });
  on('weights', (id) => {
    if (id.startsWith('convnet-')) void run.request();
  });

  let loaded: Promise<void> | null = null;
  return {
    async show() {
      loaded ??= Promise.all(HEADS.map((head) => getModel<MnistConvNet>(`convnet-${head}`))).then(async (list) => {
        models = list;
        bankLabel.textContent = `examples: ${(await digitBank()).label}`;
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
