import { compositeNames, type CompositeName } from '@logitlab/explain';
import type { SumPoolExplainer } from '@logitlab/models';
import { on } from '../app';
import { halfShares, litPixels } from '../lib/heatmap';
import { decodePixels, encodePixels } from '../lib/pixels-codec';
import { toRange } from '../lib/preprocess';
import { EXPLAINER_RANGE } from '../models/coding';
import { identicalComposites, type SameAs } from '../models/composite-equivalence';
import { runExplainer } from '../models/explainer-run';
import { pairFindings } from '../models/pair-findings';
import { sumRule } from '../models/sum-rule';
import { digitBank, nextExample } from '../models/digit-bank';
import { getModel, type ZooEntry } from '../models/zoo';
import { readParam, writeParams } from '../state/url';
import { DrawCanvas } from '../ui/draw-canvas';
import { h } from '../ui/dom';
import { ExplainAnswer, TARGETS } from './explain-answer';
import { ExplainMaps } from './explain-maps';
import { MnistOffer } from './mnist-offer';
import type { Page } from './page';
import { Coalescer, markRendered } from './render-state';
import { digitPicker } from '../ui/digit-picker';

const W = 56;
const H = 28;

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
  // Picker digits: real MNIST when the datasets loader has it cached, else synthetic (labelled).
  function pick(side: 'left' | 'right', digit: number): Promise<void> {
    return digitBank().then((b) => draw.paint(nextExample(b, digit), { x: side === 'left' ? 0 : 28, y: 0, width: 28, height: 28 }));
  }
  const pickers = (['left', 'right'] as const).map((side) =>
    digitPicker(
      {
        id: `pick-${side}`,
        label: `put an example digit on the ${side} half`,
        prefix: `${side}:`,
        buttonLabel: (d) => `put a ${d} on the ${side}`,
      },
      (d) => void pick(side, d),
    ),
  );
  const mnist = new MnistOffer('explain');
  pad.append(
    ...pickers,
    mnist.el,
    h('div', { class: 'toolbar' }, clear, h('span', { class: 'muted' }, 'or draw; each half is one 28 x 28 digit')),
  );
  const answer = new ExplainAnswer();
  const maps = new ExplainMaps(W, H);
  root.append(
    h('h2', {}, 'Explain: Deep Taylor decomposition'),
    h(
      'p',
      { class: 'lead' },
      `The Montavon et al. (2017) sum-pooling network answers "is there a ${TARGETS}?". Deep Taylor redistributes its output onto the pixels and conserves it: the relevances add up to f(x). Sensitivity analysis does not.`,
    ),
    h('div', { class: 'explain-grid' }, pad, h('div', { class: 'stack' }, answer.el, maps.el)),
  );

  let entry: ZooEntry<SumPoolExplainer> | null = null;
  // Composites that equal an earlier one on this network say so in the menu and under it.
  let sameAs = new Map<CompositeName, SameAs | null>();
  const run = new Coalescer(async () => {
    if (!entry) return;
    const { composite, compare } = maps.value();
    const result = await runExplainer(entry.model, toRange(draw.read().data, EXPLAINER_RANGE), [H, W], { composite, compare });
    const input = draw.read().data;
    const f = result.conservation.output[0] ?? NaN;
    const half = halfShares(result.lrp, W);
    const findings = await pairFindings(input, W, f, result.features, entry);
    const { should, because } = sumRule(compare);
    maps.show(input, result, { half, same: sameAs.get(composite as CompositeName) ?? null, should, because });
    answer.show(result, { entry, composite, compare: maps.compareLabel(), should, findings });
    Object.assign(root.dataset, {
      output: String(f),
      relevanceSum: String(result.conservation.total[0] ?? NaN),
      relError: String(result.conservation.relError[0] ?? NaN),
      lit: String(litPixels(result.lrp)),
      leftShare: String(half.left),
      ood: String(findings.far.length > 0),
      oodChecks: findings.checks.join(','),
    });
    writeParams({ 'draw-explain': input.some((v) => v > 0.02) ? encodePixels(input) : null });
    markRendered(root);
  }, root);

  draw.onChange(() => void run.request());
  maps.onChange(() => void run.request());
  clear.addEventListener('click', () => draw.clear());
  on('weights', (id) => {
    if (id === 'explainer') void run.request();
  });

  let loaded: Promise<void> | null = null;
  return {
    async show() {
      loaded ??= getModel<SumPoolExplainer>('explainer').then(async (e) => {
        entry = e;
        sameAs = identicalComposites(e.model, compositeNames, EXPLAINER_RANGE);
        maps.markComposites(sameAs);
        mnist.show(await digitBank());
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
