import * as tf from '@tensorflow/tfjs-core';
import { syntheticDigits, type ImageSet } from '@logitlab/datasets';
import { explain } from '@logitlab/explain';
import type { SumPoolExplainer } from '@logitlab/models';
import { exclusive, on } from '../app';
import { heatmapRgba, litPixels } from '../lib/heatmap';
import { toRange } from '../lib/preprocess';
import { EXPLAINER_RANGE } from '../models/coding';
import { TARGET_DIGITS } from '../models/data';

const TARGETS = TARGET_DIGITS.join(', ').replace(/, (\d)$/, ' or $1');
import { onSyncReadableBackend } from '../models/sync-read';
import { getModel, type ZooEntry } from '../models/zoo';
import { blit, DrawCanvas } from '../ui/draw-canvas';
import { canvas, fmt, h } from '../ui/dom';
import type { Page } from './page';
import { Coalescer, markRendered } from './render-state';

const W = 56;
const H = 28;
const MAP_SCALE = 5;

/** A row of ten digit buttons that put a sample digit on one half of the pad. */
function picker(side: 'left' | 'right'): HTMLElement {
  return h(
    'div',
    { class: 'picker', id: `pick-${side}` },
    h('span', { class: 'muted' }, `${side}:`),
    ...Array.from({ length: 10 }, (_, d) => h('button', { class: 'btn', 'data-digit': d, title: `put a ${d} on the ${side}` }, String(d))),
  );
}

export function createPage(root: HTMLElement): Page {
  const pad = h('div', { class: 'card pad-card' });
  pad.append(h('h3', {}, 'Two digits, side by side'));
  const draw = new DrawCanvas(pad, { width: W, height: H, scale: 8, pen: 2.2, label: 'two-digit drawing pad' });
  const clear = h('button', { class: 'btn', id: 'explain-clear' }, 'Clear');
  pad.append(picker('left'), picker('right'), h('div', { class: 'toolbar' }, clear, h('span', { class: 'muted' }, 'or draw; each half is one 28 x 28 digit')));

  const stats = h('dl', { class: 'stats' });
  const verdict = h('div', { class: 'verdict' }, '–');
  const source = h('span', { class: 'badge' }, 'loading…');
  const note = h('p', { class: 'muted', id: 'explain-note' });
  const out = h(
    'div',
    { class: 'card' },
    h('h3', {}, `Is there a ${TARGETS}? `, source),
    h('p', { class: 'sub' }, `f(x) ≈ 100 when one of them is present, ≈ 0 for two distractors 4–9 (threshold 50)`),
    verdict,
    stats,
    note,
  );

  const mapCanvas = (): HTMLCanvasElement => canvas(W * MAP_SCALE, H * MAP_SCALE);
  const dtMap = mapCanvas();
  const sensMap = mapCanvas();
  dtMap.id = 'heatmap-deep-taylor';
  sensMap.id = 'heatmap-sensitivity';
  const maps = h(
    'div',
    { class: 'card' },
    h('h3', {}, 'Where the evidence is'),
    h(
      'div',
      { class: 'maps' },
      h('div', { class: 'map' }, dtMap, h('span', { class: 'muted' }, 'Deep Taylor relevance (zB + z⁺): sums to f(x)')),
      h('div', { class: 'map' }, sensMap, h('span', { class: 'muted' }, 'sensitivity (∂f/∂x)²: what would change f, not what made it')),
    ),
  );
  root.append(
    h('h2', {}, 'Explain: Deep Taylor decomposition'),
    h('p', { class: 'lead' }, `The Montavon et al. (2017) sum-pooling network answers "is there a ${TARGETS}?". Deep Taylor redistributes its output onto the pixels and conserves it: the relevances add up to f(x). Sensitivity analysis does not.`),
    h('div', { class: 'explain-grid' }, pad, h('div', { class: 'stack' }, out, maps)),
  );

  let entry: ZooEntry<SumPoolExplainer> | null = null;
  const run = new Coalescer(async () => {
    if (!entry) return;
    const model = entry.model;
    const coded = toRange(draw.read().data, EXPLAINER_RANGE);
    const result = await exclusive(async () => {
      const { value, backend } = await onSyncReadableBackend(() => {
        const x = tf.tensor4d(coded, [1, H, W, 1]);
        const dt = explain(model, x, { method: 'lrp', composite: 'deepTaylor', bounds: [...EXPLAINER_RANGE] as [number, number] });
        const sens = explain(model, x, { method: 'sensitivity' });
        x.dispose();
        return { dt, sens };
      }, [...model.parameters(), ...model.namedBuffers().map(([, b]) => b)]);
      const { dt, sens } = value;
      const [deepTaylor, sensitivity] = (await Promise.all([dt.relevance.data(), sens.relevance.data()])) as Float32Array[];
      tf.dispose([dt.relevance, sens.relevance]);
      return { deepTaylor: deepTaylor ?? new Float32Array(), sensitivity: sensitivity ?? new Float32Array(), conservation: dt.conservation, sensitivitySum: sens.conservation.total[0] ?? NaN, backend };
    });
    note.textContent = result.backend === tf.getBackend() ? '' : `computed on ${result.backend}: explain() reads conservation synchronously, which ${tf.getBackend()} cannot do reliably`;
    const f = result.conservation.output[0] ?? NaN;
    const total = result.conservation.total[0] ?? NaN;
    const relError = result.conservation.relError[0] ?? NaN;
    blit(dtMap, heatmapRgba(result.deepTaylor), W, H);
    blit(sensMap, heatmapRgba(result.sensitivity), W, H);
    const lit = litPixels(result.deepTaylor);
    verdict.textContent = f > 50 ? `yes (f = ${fmt(f, 1)})` : `no (f = ${fmt(f, 1)})`;
    stats.replaceChildren(
      h('dt', {}, 'output f(x)'),
      h('dd', {}, fmt(f, 4)),
      h('dt', {}, 'Σ relevance (Deep Taylor)'),
      h('dd', {}, fmt(total, 4)),
      h('dt', {}, '|Σ R − f(x)| / f(x)'),
      h('dd', { class: relError < 1e-3 || f <= 0 ? '' : 'error' }, f > 0 ? (relError === 0 ? '0 (exact in float32)' : relError.toExponential(2)) : 'f(x) = 0: nothing to explain'),
      h('dt', {}, 'Σ sensitivity'),
      h('dd', {}, `${fmt(result.sensitivitySum, 2)} (no relation to f)`),
    );
    source.textContent = entry.source;
    source.className = `badge ${entry.source.split(' ')[0]}`;
    Object.assign(root.dataset, { output: String(f), relevanceSum: String(total), relError: String(relError), lit: String(lit) });
    markRendered(root);
  }, root);

  // Picker digits come from a seeded synthetic set, disjoint from the training seed.
  let bank: ImageSet | null = null;
  const nextOf = new Map<number, number>();
  function pick(side: 'left' | 'right', digit: number): void {
    bank ??= syntheticDigits({ count: 300, seed: 4242 });
    const start = nextOf.get(digit) ?? 0;
    let i = start;
    for (let k = 0; k < bank.count; k++, i = (i + 1) % bank.count) if (bank.labels[i] === digit) break;
    nextOf.set(digit, (i + 1) % bank.count);
    draw.paint(bank.images.subarray(i * 784, (i + 1) * 784), { x: side === 'left' ? 0 : 28, y: 0, width: 28, height: 28 });
  }
  for (const side of ['left', 'right'] as const) {
    root.querySelector(`#pick-${side}`)?.addEventListener('click', (e) => {
      const d = (e.target as HTMLElement).dataset.digit;
      if (d !== undefined) pick(side, Number(d));
    });
  }
  draw.onChange(() => void run.request());
  clear.addEventListener('click', () => draw.clear());
  on('weights', (id) => {
    if (id === 'explainer') void run.request();
  });

  let loaded: Promise<void> | null = null;
  return {
    async show() {
      loaded ??= getModel<SumPoolExplainer>('explainer').then((e) => {
        entry = e;
        // Start with an example so the page explains something before anyone draws.
        pick('left', 3);
        pick('right', 7);
      });
      await loaded;
      await run.request();
      root.dataset.state = 'ready';
    },
    refresh: () => run.request(),
  };
}
