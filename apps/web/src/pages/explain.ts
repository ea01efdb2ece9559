import * as tf from '@tensorflow/tfjs-core';
import { compositeNames, explain, type CompositeName } from '@logitlab/explain';
import type { SumPoolExplainer } from '@logitlab/models';
import { exclusive, on } from '../app';
import { halfShares, litPixels } from '../lib/heatmap';
import { decodePixels, encodePixels } from '../lib/pixels-codec';
import { toRange } from '../lib/preprocess';
import { EXPLAINER_RANGE } from '../models/coding';
import { TARGET_DIGITS } from '../models/data';
import { digitBank, downloadMnist, nextExample, onDigitBank } from '../models/digit-bank';
import { COMPARE_METHODS, METHOD_LABELS } from '../models/explainer';
import { onSyncReadableBackend } from '../models/sync-read';
import { accuracyLabel, getModel, type ZooEntry } from '../models/zoo';
import { readParam, writeParams } from '../state/url';
import { DrawCanvas } from '../ui/draw-canvas';
import { fmt, h } from '../ui/dom';
import { HeatmapView } from '../ui/heatmap-view';
import type { Page } from './page';
import { Coalescer, markRendered } from './render-state';

const TARGETS = TARGET_DIGITS.join(', ').replace(/, (\d)$/, ' or $1');

/** LRP composites (zennit's names); 'deepTaylor' is Montavon et al.'s zB + z⁺. */
const RULES: Record<string, string> = Object.fromEntries(compositeNames.map((c) => [c, c === 'deepTaylor' ? 'deepTaylor (zB + z⁺)' : c]));
const COMPARE: Readonly<Record<string, string>> = Object.fromEntries(COMPARE_METHODS.map((m) => [m, METHOD_LABELS[m]!]));

const W = 56;
const H = 28;

/** A row of ten digit buttons that put a sample digit on one half of the pad. */
function picker(side: 'left' | 'right'): HTMLElement {
  return h(
    'div',
    { class: 'picker', id: `pick-${side}`, role: 'group', 'aria-label': `put an example digit on the ${side} half` },
    h('span', { class: 'muted' }, `${side}:`),
    ...Array.from({ length: 10 }, (_, d) =>
      h('button', { class: 'btn', 'data-digit': d, 'aria-label': `put a ${d} on the ${side}` }, String(d)),
    ),
  );
}

export function createPage(root: HTMLElement): Page {
  const pad = h('div', { class: 'card pad-card' });
  pad.append(h('h3', {}, 'Two digits, side by side'));
  const draw = new DrawCanvas(pad, {
    width: W,
    height: H,
    scale: 8,
    pen: 2.2,
    label: 'two-digit drawing pad: draw, or put example digits on each half with the buttons below',
  });
  const clear = h('button', { class: 'btn', id: 'explain-clear' }, 'Clear');
  const bankLabel = h('span', { class: 'muted', id: 'explain-bank' }, '');
  const getMnist = h('button', { class: 'btn', id: 'explain-mnist' }, 'Use real MNIST digits');
  pad.append(
    picker('left'),
    picker('right'),
    h('div', { class: 'toolbar' }, bankLabel, getMnist),
    h('div', { class: 'toolbar' }, clear, h('span', { class: 'muted' }, 'or draw; each half is one 28 x 28 digit')),
  );

  const stats = h('dl', { class: 'stats' });
  const verdict = h('div', { class: 'verdict', 'aria-live': 'polite', id: 'explain-verdict' }, '–');
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

  const ruleSelect = h(
    'select',
    { id: 'explain-rule', 'aria-label': 'LRP composite' },
    ...Object.entries(RULES).map(([k, v]) => h('option', { value: k }, v)),
  );
  const compareSelect = h(
    'select',
    { id: 'explain-compare', 'aria-label': 'method to compare with' },
    ...Object.entries(COMPARE).map(([k, v]) => h('option', { value: k }, v)),
  );
  ruleSelect.value = 'deepTaylor';
  compareSelect.value = 'sensitivity';
  const r = readParam('explain-composite');
  if (r && r in RULES) ruleSelect.value = r;
  const c = readParam('compare');
  if (c && c in COMPARE) compareSelect.value = c;
  const dt = new HeatmapView({ id: 'heatmap-deep-taylor', width: W, height: H, scale: 5 });
  const sens = new HeatmapView({ id: 'heatmap-sensitivity', width: W, height: H, scale: 5 });
  const shares = h('p', { class: 'muted', id: 'explain-shares' });
  const maps = h(
    'div',
    { class: 'card explain-card' },
    h('h3', {}, 'Where the evidence is'),
    h(
      'div',
      { class: 'controls' },
      h('label', { for: 'explain-rule' }, 'composite'),
      ruleSelect,
      h('label', { for: 'explain-compare' }, 'compare with'),
      compareSelect,
    ),
    h(
      'div',
      { class: 'maps' },
      h('div', { class: 'map' }, dt.el, h('span', { class: 'muted' }, 'LRP relevance (the chosen composite): sums to f(x)'), shares),
      h('div', { class: 'map' }, sens.el, h('span', { class: 'muted', id: 'compare-note' }, 'what would change f, not what made it')),
    ),
  );
  root.append(
    h('h2', {}, 'Explain: Deep Taylor decomposition'),
    h(
      'p',
      { class: 'lead' },
      `The Montavon et al. (2017) sum-pooling network answers "is there a ${TARGETS}?". Deep Taylor redistributes its output onto the pixels and conserves it: the relevances add up to f(x). Sensitivity analysis does not.`,
    ),
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
        const deep = explain(model, x, { method: 'lrp', composite: ruleSelect.value as CompositeName, bounds: EXPLAINER_RANGE });
        const other = explain(model, x, { method: compareSelect.value, baseline: EXPLAINER_RANGE[0] });
        x.dispose();
        return { dt: deep, sens: other };
      }, [...model.parameters(), ...model.namedBuffers().map(([, b]) => b)]);
      const [deepTaylor, sensitivity] = (await Promise.all([value.dt.relevance.data(), value.sens.relevance.data()])) as Float32Array[];
      tf.dispose([value.dt.relevance, value.sens.relevance]);
      return {
        deepTaylor: deepTaylor ?? new Float32Array(),
        sensitivity: sensitivity ?? new Float32Array(),
        conservation: value.dt.conservation,
        sensitivitySum: value.sens.conservation.total[0] ?? NaN,
        backend,
      };
    });
    note.textContent =
      result.backend === tf.getBackend()
        ? ''
        : `computed on ${result.backend}: explain() reads conservation synchronously, which ${tf.getBackend()} cannot do reliably`;
    const f = result.conservation.output[0] ?? NaN;
    const total = result.conservation.total[0] ?? NaN;
    const relError = result.conservation.relError[0] ?? NaN;
    const input = draw.read().data;
    const half = halfShares(result.deepTaylor, W);
    const compare = COMPARE[compareSelect.value];
    dt.set(
      input,
      result.deepTaylor,
      [0, 1],
      `LRP relevance map, composite ${ruleSelect.value}: ${(half.left * 100).toFixed(0)}% of the positive relevance on the left digit, ${(half.right * 100).toFixed(0)}% on the right`,
    );
    sens.set(input, result.sensitivity, [0, 1], `${compare} map of the same input`);
    shares.textContent = `positive relevance: left half ${(half.left * 100).toFixed(1)}%, right half ${(half.right * 100).toFixed(1)}%`;
    const lit = litPixels(result.deepTaylor);
    verdict.textContent = f > 50 ? `yes (f = ${fmt(f, 1)})` : `no (f = ${fmt(f, 1)})`;
    stats.replaceChildren(
      h('dt', {}, 'output f(x)'),
      h('dd', {}, fmt(f, 4)),
      h('dt', {}, `Σ relevance (${ruleSelect.value})`),
      h('dd', {}, fmt(total, 4)),
      h('dt', {}, '|Σ R − f(x)| / f(x)'),
      h(
        'dd',
        { class: relError < 1e-3 || f <= 0 ? '' : 'error' },
        f > 0 ? (relError === 0 ? '0 (exact in float32)' : relError.toExponential(2)) : 'f(x) = 0: nothing to explain',
      ),
      h('dt', {}, 'Σ sensitivity'),
      h('dd', {}, `${fmt(result.sensitivitySum, 2)} (no relation to f)`),
    );
    source.textContent = [entry.source, accuracyLabel(entry)].filter(Boolean).join(' · ');
    source.className = `badge ${entry.source.split(' ')[0]}`;
    Object.assign(root.dataset, {
      output: String(f),
      relevanceSum: String(total),
      relError: String(relError),
      lit: String(lit),
      leftShare: String(half.left),
    });
    writeParams({ 'draw-explain': input.some((v) => v > 0.02) ? encodePixels(input) : null });
    markRendered(root);
  }, root);

  // Picker digits: real MNIST when the datasets loader has it cached, else synthetic (labelled).
  function pick(side: 'left' | 'right', digit: number): Promise<void> {
    return digitBank().then((b) => draw.paint(nextExample(b, digit), { x: side === 'left' ? 0 : 28, y: 0, width: 28, height: 28 }));
  }
  const showBank = (label: string, real: boolean): void => {
    bankLabel.textContent = `examples: ${label}`;
    getMnist.hidden = real;
  };
  onDigitBank((b) => showBank(b.label, b.real));
  getMnist.addEventListener('click', () => {
    bankLabel.textContent = 'downloading the MNIST test split (1.6 MB)…';
    void downloadMnist().catch((e: Error) => {
      bankLabel.textContent = `examples: synthetic digits (MNIST download failed: ${e.message})`;
    });
  });
  for (const side of ['left', 'right'] as const) {
    root.querySelector(`#pick-${side}`)?.addEventListener('click', (e) => {
      const d = (e.target as HTMLElement).dataset.digit;
      if (d !== undefined) void pick(side, Number(d));
    });
  }
  draw.onChange(() => void run.request());
  for (const [sel, key] of [
    [ruleSelect, 'explain-composite'],
    [compareSelect, 'compare'],
  ] as const) {
    sel.addEventListener('change', () => {
      writeParams({ [key]: sel.value });
      void run.request();
    });
  }
  clear.addEventListener('click', () => draw.clear());
  on('weights', (id) => {
    if (id === 'explainer') void run.request();
  });

  let loaded: Promise<void> | null = null;
  return {
    async show() {
      loaded ??= getModel<SumPoolExplainer>('explainer').then(async (e) => {
        entry = e;
        const b = await digitBank();
        showBank(b.label, b.real);
        const shared = readParam('draw-explain');
        const pixels = shared ? decodePixels(shared, W * H) : null;
        if (pixels) draw.paint(pixels);
        else {
          // Start with an example so the page explains something before anyone draws.
          await pick('left', 3);
          await pick('right', 7);
        }
      });
      await loaded;
      await run.request();
      root.dataset.state = 'ready';
    },
    refresh: () => run.request(),
  };
}
