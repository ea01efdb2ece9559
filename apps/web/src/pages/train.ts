import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { setPitfallWarningSink } from '@logitlab/layers';
import * as tf from '@tensorflow/tfjs-core';
import { on } from '../app';
import { MODEL_IDS, RECIPES, type ModelId } from '../models/recipes';
import { Trainer, type StepRecord, type TrainState } from '../models/trainer';
import { adoptWeights } from '../models/zoo';
import { fmt, h } from '../ui/dom';
import type { Page } from './page';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

function lineChart(el: HTMLCanvasElement, label: string, color: string, yMax?: number): Chart<'line', number[], number> {
  return new Chart(el, {
    type: 'line',
    data: { labels: [], datasets: [{ label, data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0, tension: 0.15 }] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' } },
        y: { ...(yMax === undefined ? {} : { min: 0, max: yMax }), title: { display: true, text: label } },
      },
      plugins: { legend: { display: false } },
    },
  });
}

export function createPage(root: HTMLElement): Page {
  const modelSelect = h('select', { id: 'train-model' }, ...MODEL_IDS.map((id) => h('option', { value: id }, RECIPES[id].label)));
  const steps = h('input', { id: 'train-steps', type: 'number', min: 1, max: 100000, value: 300 });
  const start = h('button', { class: 'btn primary', id: 'train-start' }, 'Train from scratch');
  const pause = h('button', { class: 'btn', id: 'train-pause', disabled: true }, 'Pause');
  const stop = h('button', { class: 'btn', id: 'train-stop', disabled: true }, 'Stop');
  const progress = h('div', { class: 'log', id: 'train-progress' }, 'idle');
  const warnings = h('div', { class: 'log', id: 'train-warnings' });
  const form = h(
    'div',
    { class: 'card', style: 'min-width: 320px; max-width: 380px' },
    h('h3', {}, 'Train a model in this tab'),
    h('div', { class: 'form' }, h('label', { for: 'train-model' }, 'model'), modelSelect, h('label', { for: 'train-steps' }, 'steps'), steps),
    h('p', { class: 'sub' }, 'Adam on seeded synthetic digits (no download). When training ends, the other tabs use the new weights.'),
    h('div', { class: 'toolbar' }, start, pause, stop),
    progress,
    warnings,
  );
  const lossCanvas = h('canvas', { id: 'loss-chart' });
  const accCanvas = h('canvas', { id: 'accuracy-chart' });
  const charts = h(
    'div',
    { class: 'charts' },
    h('div', { class: 'card' }, h('h3', {}, 'loss'), h('div', { class: 'chart-box' }, lossCanvas)),
    h('div', { class: 'card' }, h('h3', {}, 'batch accuracy'), h('div', { class: 'chart-box' }, accCanvas)),
  );
  root.append(
    h('h2', {}, 'Train: watch it learn'),
    h('p', { class: 'lead' }, 'Train any model from the other tabs on the current backend, with live curves. Pause, switch backend, resume: the weights move with you. Try the softmax or sigmoid head to see nllLoss fail to teach them.'),
    h('div', { class: 'row' }, form, charts),
  );

  let lossChart: Chart<'line', number[], number> | null = null;
  let accChart: Chart<'line', number[], number> | null = null;
  let trainer: Trainer | null = null;
  root.dataset.trainState = 'idle';

  // Pitfall warnings from the libraries (e.g. probabilities fed to nllLoss) appear here, not only in the console.
  setPitfallWarningSink((message) => {
    warnings.textContent = `⚠ ${message}`;
  });

  function setState(s: TrainState, error?: Error): void {
    root.dataset.trainState = s;
    const active = s === 'running' || s === 'paused';
    start.disabled = active;
    modelSelect.disabled = active;
    pause.disabled = !active;
    stop.disabled = !active;
    pause.textContent = s === 'paused' ? 'Resume' : 'Pause';
    if (error) progress.textContent = `failed: ${error.message}`;
  }

  function onStep(r: StepRecord, total: number, t0: number): void {
    if (!lossChart || !accChart) return;
    lossChart.data.labels?.push(r.step);
    lossChart.data.datasets[0]?.data.push(r.loss);
    lossChart.update('none');
    if (r.accuracy !== null) {
      accChart.data.labels?.push(r.step);
      accChart.data.datasets[0]?.data.push(r.accuracy);
      accChart.update('none');
    }
    const rate = r.step / ((performance.now() - t0) / 1000);
    progress.textContent = `step ${r.step}/${total} · loss ${fmt(r.loss, 4)}${r.accuracy === null ? '' : ` · acc ${(r.accuracy * 100).toFixed(1)}%`} · ${rate.toFixed(1)} steps/s on ${tf.getBackend()}`;
    root.dataset.losses = JSON.stringify(trainer?.history.map((rec) => rec.loss) ?? []);
  }

  async function train(): Promise<void> {
    const id = modelSelect.value as ModelId;
    const recipe = RECIPES[id];
    const total = Math.max(1, Math.floor(Number(steps.value) || 1));
    lossChart?.destroy();
    accChart?.destroy();
    lossChart = lineChart(lossCanvas, 'loss', '#3056d3');
    accChart = lineChart(accCanvas, 'accuracy', '#1a7f4b', 1);
    warnings.textContent = '';
    root.dataset.losses = '[]';
    const model = recipe.create();
    const t0 = performance.now();
    trainer = new Trainer(recipe, model, { steps: total, onStep: (r) => onStep(r, total, t0), onState: setState });
    try {
      await trainer.run();
      model.eval();
      await adoptWeights(id, model);
      progress.textContent += ` · done: the other tabs now use these ${id} weights`;
    } catch (e) {
      console.error(e);
    } finally {
      model.dispose();
    }
  }

  start.addEventListener('click', () => void train());
  pause.addEventListener('click', () => (trainer?.state === 'paused' ? trainer.resume() : trainer?.pause()));
  stop.addEventListener('click', () => trainer?.stop());
  on('backend', () => {
    if (trainer?.state === 'running') progress.textContent += ` (now on ${tf.getBackend()})`;
  });

  return {
    async show() {
      // Empty axes until the first run, so the page shows where the curves will appear.
      lossChart ??= lineChart(lossCanvas, 'loss', '#3056d3');
      accChart ??= lineChart(accCanvas, 'accuracy', '#1a7f4b', 1);
      root.dataset.state = 'ready';
    },
    async refresh() {},
  };
}
