import * as tf from '@tensorflow/tfjs-core';
import type { MnistConvNet } from '@logitlab/models';
import { exclusive, on } from '../app';
import { grayRgba } from '../lib/heatmap';
import { argmax, barLengths, LESSONS, sumLine } from '../lib/heads';
import { normalizeLikeMnist } from '../lib/preprocess';
import { codeForConvnet } from '../models/coding';
import { HEADS } from '../models/recipes';
import { weightInfo } from '../models/weights';
import { getModel, type ZooEntry } from '../models/zoo';
import { blit, DrawCanvas } from '../ui/draw-canvas';
import { canvas, fmt, h } from '../ui/dom';
import type { Page } from './page';
import { Coalescer, markRendered } from './render-state';

/** Fills one head's card: prediction, bars, sum line, weight source. */
function render(card: HTMLElement | undefined, entry: ZooEntry<MnistConvNet>, values: number[]): void {
  if (!card) return;
  const head = entry.model.head;
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
  card.querySelector('.bars')!.replaceChildren(
    ...values.map((v, d) => {
      const fill = h('div', { class: 'fill' });
      fill.style.width = `${Math.max(1, (lengths[d] ?? 0) * 100)}%`;
      return h('div', { class: `bar${d === top ? ' top' : ''}` }, h('span', {}, String(d)), h('div', { class: 'track' }, fill), h('span', { class: 'val' }, fmt(v, 3)));
    }),
  );
}

export function createPage(root: HTMLElement): Page {
  const pad = h('div', { class: 'card pad-card' });
  const preview = canvas(84, 84, { class: 'preview', title: 'what the networks see (28 x 28, centred like MNIST)' });
  const clear = h('button', { class: 'btn', id: 'classify-clear' }, 'Clear');
  pad.append(h('h3', {}, 'Draw a digit'));
  const draw = new DrawCanvas(pad, { width: 28, height: 28, scale: 10, pen: 2.4, label: 'digit drawing pad' });
  pad.append(h('div', { class: 'toolbar' }, clear, h('span', { class: 'muted' }, 'network input:'), preview));

  const heads = h('div', { class: 'heads' });
  const cards = new Map<string, HTMLElement>();
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
      h('div', { class: 'bars' }),
      h('div', { class: 'muted sum' }, ''),
      h('div', { class: 'toolbar' }, h('span', { class: 'badge source' }, 'loading…'), h('span', { class: 'muted accuracy' }, '')),
    );
    cards.set(head, card);
    heads.append(card);
  }
  root.append(
    h('h2', {}, 'Classify: one network, four output heads'),
    h('p', { class: 'lead' }, 'The same convnet trained four times, differing only in its last layer and the loss it was paired with. Draw a digit and compare what each head outputs.'),
    h('div', { class: 'row' }, pad, heads),
  );

  let models: Array<ZooEntry<MnistConvNet>> = [];
  const run = new Coalescer(async () => {
    if (!models.length) return;
    const img = normalizeLikeMnist(draw.read());
    blit(preview, grayRgba(img.data), 28, 28);
    const outputs = await exclusive(async () => {
      const x = tf.tensor4d(codeForConvnet(img.data), [1, 28, 28, 1]);
      try {
        const ys = models.map((m) => m.model.call(x));
        const values = await Promise.all(ys.map((y) => y.data()));
        tf.dispose(ys);
        return values.map((v) => Array.from(v));
      } finally {
        x.dispose();
      }
    });
    models.forEach((m, i) => render(cards.get(m.model.head), m, outputs[i] ?? []));
    markRendered(root);
  }, root);

  draw.onChange(() => run.request());
  clear.addEventListener('click', () => draw.clear());
  on('weights', (id) => {
    if (!id.startsWith('convnet-')) return;
    // The shipped accuracy no longer describes these weights.
    const el = cards.get(id.slice('convnet-'.length))?.querySelector('.accuracy');
    if (el) el.textContent = '';
    void run.request();
  });

  let loaded: Promise<void> | null = null;
  return {
    async show() {
      loaded ??= Promise.all(HEADS.map((head) => getModel<MnistConvNet>(`convnet-${head}`))).then(async (m) => {
        models = m;
        // The lesson in numbers: held-out accuracy of each shipped head.
        for (const head of HEADS) {
          const acc = (await weightInfo(`convnet-${head}`))?.metrics.heldOutAccuracy;
          const el = cards.get(head)?.querySelector('.accuracy');
          if (el && acc !== undefined) el.textContent = `held-out accuracy ${(acc * 100).toFixed(1)}%`;
        }
      });
      await loaded;
      await run.request();
      root.dataset.state = 'ready';
    },
    refresh: () => run.request(),
  };
}
