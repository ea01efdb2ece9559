import * as tf from '@tensorflow/tfjs-core';
import { on } from '../app';
import { RECIPES, type ModelId } from '../models/recipes';
import { adoptWeights } from '../models/zoo';
import { writeParams } from '../state/url';
import { TrainRun, type RunResult } from '../train/client';
import { describeSettings, sameArchitecture } from '../train/settings';
import { h } from '../ui/dom';
import type { Page } from './page';
import { TrainCharts } from './train-charts';
import { TrainForm } from './train-form';
import { RunProgress } from './train-progress';
import { WeightsCard } from './train-weights';

export function createPage(root: HTMLElement): Page {
  const report = new RunProgress(root);
  const form = new TrainForm(root, report);
  const { result, settings } = form;
  const weights = new WeightsCard(
    root,
    () => form.model(),
    (message, kind) => {
      result.textContent = message;
      root.dataset.result = kind;
    },
  );
  const charts = new TrainCharts();
  root.append(
    h('h2', {}, 'Train: watch it learn'),
    h(
      'p',
      { class: 'lead' },
      'Train any model from the other tabs, with live curves; earlier runs stay on the chart so the four heads compare side by side. Try the softmax or sigmoid head to see nllLoss fail to teach them.',
    ),
    h(
      'div',
      { class: 'row' },
      h('div', { class: 'stack' }, form.el, weights.el),
      h('div', { class: 'stack grow' }, charts.el, charts.legend.element, h('div', { class: 'toolbar' }, charts.clearButton)),
    ),
  );

  let current: TrainRun | null = null;
  let pending: { id: ModelId; label: string; result: RunResult } | null = null;
  let runs = 0;

  async function train(): Promise<void> {
    const id = form.model();
    const total = form.totalSteps();
    const chosen = settings.current();
    const fits = sameArchitecture(chosen, settings.defaults());
    runs++;
    root.dataset.runs = String(runs);
    const label = `#${runs} ${id.replace('convnet-', '')}`;
    const curves = charts.addRun(runs, label, describeSettings(chosen), RECIPES[id].accuracy !== null);
    const backend = tf.getBackend();
    const handlers = report.start(id, total, backend, label, curves);
    pending = null;
    form.withdraw();
    form.setState('running');
    const evalEvery = Math.max(10, Math.round(total / 15));
    const onPaused = (p: boolean): void => form.setState(p ? 'paused' : 'running');
    const run = new TrainRun({ id, steps: total, backend, evalEvery, settings: chosen }, { ...handlers, onPaused });
    current = run;
    try {
      const r = await run.done;
      pending = { id, label, result: r };
      const acc = r.heldOut?.accuracy;
      const ended = `Run ${label} ${r.stopped ? 'stopped' : 'finished'} at step ${r.steps}${acc == null ? '' : `, held-out accuracy ${(acc * 100).toFixed(1)}%`}.`;
      // Weights of other widths do not fit the model the other tabs hold: say so rather than fail on Use.
      result.textContent = fits
        ? `${ended} The other tabs still use their weights.`
        : `${ended} Its hidden sizes (${chosen.hidden?.join('-')}) differ from the ${id} the other tabs use (${settings.defaults().hidden?.join('-')}), so these weights cannot be used there.`;
      form.offer(fits);
      form.setState(r.stopped ? 'stopped' : 'done');
    } catch (e) {
      report.progress.textContent = `failed: ${(e as Error).message}`;
      form.setState('failed');
    } finally {
      current = null;
      charts.scheduleRedraw();
    }
  }

  form.start.addEventListener('click', () => void train());
  form.pause.addEventListener('click', () => (root.dataset.trainState === 'paused' ? current?.resume() : current?.pause()));
  form.stop.addEventListener('click', () => current?.stop());
  form.use.addEventListener('click', () => {
    if (!pending) return;
    const { id, label, result: r } = pending;
    const acc = r.heldOut?.accuracy;
    const measured = acc == null ? null : { accuracy: acc, on: 'synthetic digits, measured in this page' };
    void adoptWeights(id, r.weights, 'trained in page', measured).then(async () => {
      result.textContent = `The other tabs now use the weights of run ${label} (${r.steps} steps).`;
      root.dataset.result = 'used';
      pending = null;
      form.withdraw();
      form.modelSelect.value = id;
      await weights.describe();
    });
  });
  form.discard.addEventListener('click', () => {
    const label = pending?.label ?? '';
    pending = null;
    form.withdraw();
    result.textContent = `Run ${label} discarded: the other tabs keep the weights they had.`;
    root.dataset.result = 'discarded';
  });
  form.modelSelect.addEventListener('change', () => {
    writeParams({ model: form.modelSelect.value });
    // Another model starts from its own recipe (a convnet's SGD rate would not suit a VAE).
    settings.load(form.model(), false);
    void weights.describe();
  });
  charts.clearButton.addEventListener('click', () => {
    charts.clear();
    root.dataset.runs = '0';
  });
  on('backend', (name) => {
    // The worker follows the page's backend between two steps.
    if (current) current.switchBackend(name);
  });
  on('weights', () => void weights.describe());

  return {
    async show() {
      charts.show();
      await weights.describe();
      root.dataset.state = 'ready';
    },
    async refresh() {},
  };
}
