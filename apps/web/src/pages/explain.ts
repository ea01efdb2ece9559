import * as tf from '@tensorflow/tfjs-core';
import { compositeNames, explain, type CompositeName } from '@logitlab/explain';
import type { SumPoolExplainer } from '@logitlab/models';
import { exclusive, on } from '../app';
import { halfShares, litPixels } from '../lib/heatmap';
import { distanceFinding, inkFinding, inkMass, nearestDistance, reliabilityFinding } from '../lib/ood';
import { decodePixels, encodePixels } from '../lib/pixels-codec';
import { toRange } from '../lib/preprocess';
import { EXPLAINER_RANGE } from '../models/coding';
import { identicalComposites, type SameAs } from '../models/composite-equivalence';
import { explainerFeatures } from '../models/features';
import { oodStats } from '../models/ood-stats';
import { sumRule } from '../models/sum-rule';
import { TARGET_DIGITS } from '../models/data';
import { digitBank, downloadMnist, nextExample, onDigitBank, type DigitBank } from '../models/digit-bank';
import { COMPARE_METHODS, METHOD_LABELS } from '../models/explainer';
import { onSyncReadableBackend } from '@logitlab/backends';
import { accuracyLabel, getModel, type ZooEntry } from '../models/zoo';
import { readParam, writeParams } from '../state/url';
import { DrawCanvas } from '../ui/draw-canvas';
import { fmt, h } from '../ui/dom';
import { HeatmapView } from '../ui/heatmap-view';
import { linkSlider } from '../state/linked-slider';
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
  // Says when the input is unlike the training pairs, so a "yes" on a blank pad is not taken at face value.
  const oodNote = h('p', { class: 'note', id: 'explain-ood', hidden: true });
  const source = h('span', { class: 'badge' }, 'loading…');
  const note = h('p', { class: 'muted', id: 'explain-note' });
  const out = h(
    'div',
    { class: 'card' },
    h('h3', {}, `Is there a ${TARGETS}? `, source),
    h('p', { class: 'sub' }, `f(x) ≈ 100 when one of them is present, ≈ 0 for two distractors 4–9 (threshold 50)`),
    verdict,
    oodNote,
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
  // Both overlays are part of the view a link reproduces.
  linkSlider(dt.slider, 'explain-opacity');
  linkSlider(sens.slider, 'compare-opacity');
  const shares = h('p', { class: 'muted', id: 'explain-shares' });
  const lrpCaption = h('span', { class: 'muted', id: 'lrp-note' });
  const compareNote = h('span', { class: 'muted', id: 'compare-note' });
  const ruleNote = h('p', { class: 'muted', id: 'explain-rule-note', hidden: true });
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
    ruleNote,
    h('div', { class: 'maps' }, h('div', { class: 'map' }, dt.el, lrpCaption, shares), h('div', { class: 'map' }, sens.el, compareNote)),
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
  /** What ood.json's training statistics say about this input and answer (the checks that ran, and what they found). */
  async function inputFindings(
    input: Float32Array,
    f: number,
    features: Float32Array,
    e: ZooEntry<SumPoolExplainer>,
  ): Promise<{ far: string[]; checks: string[]; text: string }> {
    const ood = (await oodStats())?.explain;
    if (!ood) return { far: [], checks: [], text: 'Not checked against the training data: weights/ood.json is missing.' };
    const far: Array<string | null> = (['left', 'right'] as const).map((side) =>
      inkFinding(inkMass(input, { x: side === 'left' ? 0 : 28, width: 28, height: 28, stride: W }), ood.ink, `the ${side} half`),
    );
    const checks = ['ink'];
    // The distances and the held-out answers were measured with the shipped weights only.
    const shipped = e.source === 'pretrained' && ood.model === e.id;
    if (shipped) {
      checks.push('distance', 'reliability');
      far.push(distanceFinding(nearestDistance(features, ood.reference), ood.distance, ood.layer));
      if (ood.reliability) far.push(reliabilityFinding(f, ood.reliability));
    }
    const found = far.filter((x): x is string => x !== null);
    const text = found.length
      ? `This answer is not supported (the input or the answer lies where the training pairs do not): ${found.join('; ')}.`
      : shipped
        ? ''
        : 'Only the ink was checked: the distance and reliability figures were measured for the shipped weights.';
    return { far: found, checks, text };
  }
  // Composites that equal an earlier one on this network say so in the menu and under it.
  let sameAs = new Map<CompositeName, SameAs | null>();
  function markComposites(model: SumPoolExplainer): void {
    sameAs = identicalComposites(model, compositeNames, EXPLAINER_RANGE);
    for (const option of ruleSelect.options) {
      const same = sameAs.get(option.value as CompositeName);
      option.textContent = same ? `${RULES[option.value]} (= ${same.as} here)` : (RULES[option.value] ?? option.value);
      option.title = same ? `same map as ${same.as}: ${same.reason}` : '';
    }
  }
  const run = new Coalescer(async () => {
    if (!entry) return;
    const model = entry.model;
    const coded = toRange(draw.read().data, EXPLAINER_RANGE);
    const result = await exclusive(async () => {
      const { value, backend } = await onSyncReadableBackend(
        () => {
          const x = tf.tensor4d(coded, [1, H, W, 1]);
          const deep = explain(model, x, { method: 'lrp', composite: ruleSelect.value as CompositeName, bounds: EXPLAINER_RANGE });
          const other = explain(model, x, { method: compareSelect.value, baseline: EXPLAINER_RANGE[0] });
          const features = explainerFeatures(model, x);
          x.dispose();
          return { dt: deep, sens: other, features };
        },
        { keep: [...model.parameters(), ...model.namedBuffers().map(([, b]) => b)] },
      );
      const [deepTaylor, sensitivity, features] = (await Promise.all([
        value.dt.relevance.data(),
        value.sens.relevance.data(),
        value.features.data(),
      ])) as Float32Array[];
      tf.dispose([value.dt.relevance, value.sens.relevance, value.features]);
      return {
        deepTaylor: deepTaylor ?? new Float32Array(),
        sensitivity: sensitivity ?? new Float32Array(),
        features: features ?? new Float32Array(),
        conservation: value.dt.conservation,
        sensitivitySum: value.sens.conservation.total[0] ?? NaN,
        sensitivityShould: value.sens.conservation.output[0] ?? NaN,
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
    const compareName = compareSelect.value;
    const compare = COMPARE[compareName];
    const { should, because } = sumRule(compareName);
    const rule = ruleSelect.value;
    lrpCaption.textContent = `LRP, composite ${rule}: Σ R should equal f(x)`;
    const same = sameAs.get(rule as CompositeName);
    ruleNote.hidden = !same;
    ruleNote.textContent = same ? `${rule} gives the same map as ${same.as} on this network: ${same.reason}.` : '';
    compareNote.textContent = should ? `${compare}: Σ should equal ${should}` : `${compare}: Σ has no required value (${because})`;
    dt.set(
      input,
      result.deepTaylor,
      [0, 1],
      `LRP relevance map, composite ${ruleSelect.value}: ${(half.left * 100).toFixed(0)}% of the positive relevance on the left digit, ${(half.right * 100).toFixed(0)}% on the right`,
    );
    sens.set(input, result.sensitivity, [0, 1], `${compare} map of the same input`);
    shares.textContent = `positive relevance: left half ${(half.left * 100).toFixed(1)}%, right half ${(half.right * 100).toFixed(1)}%`;
    const lit = litPixels(result.deepTaylor);
    const findings = await inputFindings(input, f, result.features, entry);
    verdict.textContent = f > 50 ? `yes (f = ${fmt(f, 1)})` : `no (f = ${fmt(f, 1)})`;
    if (findings.far.length) verdict.append(' ', h('span', { class: 'flag' }, 'unreliable'));
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
      h('dt', {}, `Σ ${compare}`),
      h(
        'dd',
        {},
        should
          ? `${fmt(result.sensitivitySum, 2)} (should equal ${should} = ${fmt(result.sensitivityShould, 2)})`
          : `${fmt(result.sensitivitySum, 2)} (no required value)`,
      ),
    );
    oodNote.hidden = !findings.text;
    oodNote.textContent = findings.text;
    source.textContent = [entry.source, accuracyLabel(entry)].filter(Boolean).join(' · ');
    source.className = `badge ${entry.source.split(' ')[0]}`;
    Object.assign(root.dataset, {
      output: String(f),
      relevanceSum: String(total),
      relError: String(relError),
      lit: String(lit),
      leftShare: String(half.left),
      ood: String(findings.far.length > 0),
      oodChecks: findings.checks.join(','),
    });
    writeParams({ 'draw-explain': input.some((v) => v > 0.02) ? encodePixels(input) : null });
    markRendered(root);
  }, root);

  // Picker digits: real MNIST when the datasets loader has it cached, else synthetic (labelled).
  function pick(side: 'left' | 'right', digit: number): Promise<void> {
    return digitBank().then((b) => draw.paint(nextExample(b, digit), { x: side === 'left' ? 0 : 28, y: 0, width: 28, height: 28 }));
  }
  // the download stays on offer until the whole test split is in use (the build may ship a subset)
  const showBank = (b: DigitBank): void => {
    bankLabel.textContent = `examples: ${b.label}`;
    getMnist.hidden = b.real && !b.partial;
  };
  onDigitBank(showBank);
  getMnist.addEventListener('click', () => {
    bankLabel.textContent = 'downloading the MNIST test split (1.6 MB)…';
    void downloadMnist().catch(async (e: Error) => {
      // a label holds one line: the loader's message lists every mirror's failure on lines of its own
      const kept = await digitBank();
      bankLabel.textContent = `examples: ${kept.label}; MNIST download failed: ${e.message.split('\n')[0]?.replace(/:$/, '')}`;
      bankLabel.title = e.message;
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
        markComposites(e.model);
        showBank(await digitBank());
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
