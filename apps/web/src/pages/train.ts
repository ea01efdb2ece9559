import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import * as tf from '@tensorflow/tfjs-core';
import { on } from '../app';
import { MODEL_IDS, RECIPES, type ModelId } from '../models/recipes';
import { accuracyLabel, adoptWeights, currentWeights, getModel, revertToPretrained } from '../models/zoo';
import { readParam, writeParams } from '../state/url';
import { TrainRun, type RunResult } from '../train/client';
import type { LossPoint } from '../train/protocol';
import { describeSettings, sameArchitecture } from '../train/settings';
import { slowBackendHint } from '../train/slow-hint';
import { recentRate } from '../lib/rate';
import { fmt, h } from '../ui/dom';
import { runColor, runLegend } from '../ui/run-legend';
import type { Page } from './page';
import { settingsForm } from './train-settings';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

type Point = { x: number; y: number };
type LineChart = Chart<'line', Point[], unknown>;

function lineChart(el: HTMLCanvasElement, yTitle: string, yMax?: number): LineChart {
  return new Chart(el, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' } },
        y: { ...(yMax === undefined ? {} : { min: 0, max: yMax }), title: { display: true, text: yTitle } },
      },
      plugins: { legend: { display: true, labels: { boxWidth: 12, font: { size: 11 } } } },
    },
  });
}

export function createPage(root: HTMLElement): Page {
  const modelSelect = h('select', { id: 'train-model' }, ...MODEL_IDS.map((id) => h('option', { value: id }, RECIPES[id].label)));
  const wanted = readParam('model') as ModelId | null;
  if (wanted && MODEL_IDS.includes(wanted)) modelSelect.value = wanted;
  const steps = h('input', { id: 'train-steps', type: 'number', min: 1, max: 100000, value: 300 });
  const settings = settingsForm();
  settings.load(
    modelSelect.value as ModelId,
    true,
    wanted && !MODEL_IDS.includes(wanted)
      ? [`model "${wanted.slice(0, 40)}" is not one of the ${MODEL_IDS.length} models; using ${modelSelect.value}`]
      : [],
  );
  const hint = h('div', { class: 'log', id: 'train-hint', role: 'status' });
  const legend = runLegend();
  const start = h('button', { class: 'btn primary', id: 'train-start' }, 'Train from scratch');
  const pause = h('button', { class: 'btn', id: 'train-pause', disabled: true }, 'Pause');
  const stop = h('button', { class: 'btn', id: 'train-stop', disabled: true }, 'Stop');
  const progress = h('div', { class: 'log', id: 'train-progress', role: 'status' }, 'idle');
  const warnings = h('ul', { class: 'log warnings', id: 'train-warnings', 'aria-live': 'polite' });
  const use = h('button', { class: 'btn primary', id: 'train-use', disabled: true }, 'Use these weights');
  const discard = h('button', { class: 'btn', id: 'train-discard', disabled: true }, 'Discard');
  const result = h('div', { class: 'log', id: 'train-result' }, 'No finished run yet: the other tabs keep their weights.');
  const form = h(
    'div',
    { class: 'card train-form' },
    h('h3', {}, 'Train a model in a worker'),
    h(
      'div',
      { class: 'form' },
      h('label', { for: 'train-model' }, 'model'),
      modelSelect,
      h('label', { for: 'train-steps' }, 'steps'),
      steps,
      ...settings.rows,
    ),
    settings.note,
    h(
      'p',
      { class: 'sub' },
      'Seeded synthetic digits (no download), in a Web Worker: the page stays responsive. The settings start at the model\'s recipe and are part of the link. The other tabs keep their weights until you press "Use these weights".',
    ),
    h('div', { class: 'toolbar' }, start, pause, stop),
    progress,
    hint,
    warnings,
    h('div', { class: 'toolbar spaced' }, use, discard),
    result,
  );

  // The weights in use for the selected model: where they come from, revert, download, upload.
  const inUse = h('div', { class: 'log', id: 'weights-in-use' }, '…');
  const revert = h('button', { class: 'btn', id: 'weights-revert' }, 'Revert to pretrained');
  const download = h('button', { class: 'btn', id: 'weights-download' }, 'Download .safetensors');
  const upload = h('input', {
    type: 'file',
    id: 'weights-upload',
    accept: '.safetensors,application/octet-stream',
    class: 'visually-hidden',
  });
  const uploadLabel = h('label', { for: 'weights-upload', class: 'btn', tabindex: 0, role: 'button' }, 'Upload .safetensors');
  const weightsNote = h('div', { class: 'log', id: 'weights-note', role: 'status' });
  const weightsCard = h(
    'div',
    { class: 'card train-form' },
    h('h3', {}, 'Weights in use'),
    inUse,
    h('div', { class: 'toolbar spaced' }, revert, download, uploadLabel, upload),
    h('p', { class: 'sub' }, 'Files hold PyTorch state-dict names and layouts: safetensors.torch.load_file() reads them.'),
    weightsNote,
  );

  const lossCanvas = h('canvas', { id: 'loss-chart', role: 'img', 'aria-label': 'training loss per step (no run yet)' });
  const accCanvas = h('canvas', { id: 'accuracy-chart', role: 'img', 'aria-label': 'held-out accuracy (no run yet)' });
  const clearCharts = h('button', { class: 'btn', id: 'train-clear-charts' }, 'Clear curves');
  const charts = h(
    'div',
    { class: 'charts' },
    h(
      'div',
      { class: 'card' },
      h('h3', {}, 'loss (solid: training batch, dashed: held out)'),
      h('div', { class: 'chart-box' }, lossCanvas),
    ),
    h('div', { class: 'card' }, h('h3', {}, 'held-out accuracy'), h('div', { class: 'chart-box' }, accCanvas)),
  );
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
      h('div', { class: 'stack' }, form, weightsCard),
      h('div', { class: 'stack grow' }, charts, legend.element, h('div', { class: 'toolbar' }, clearCharts)),
    ),
  );

  let lossChart: LineChart | null = null;
  let accChart: LineChart | null = null;
  let current: TrainRun | null = null;
  let pending: { id: ModelId; label: string; result: RunResult } | null = null;
  let runs = 0;
  // First-step times per model and backend in this session, for the slow-backend hint's comparison.
  const firstSteps = new Map<ModelId, Map<string, number>>();
  root.dataset.trainState = 'idle';

  function setState(s: 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'failed'): void {
    root.dataset.trainState = s;
    const active = s === 'running' || s === 'paused';
    start.disabled = active;
    modelSelect.disabled = active;
    settings.setDisabled(active);
    pause.disabled = !active;
    stop.disabled = !active;
    pause.textContent = s === 'paused' ? 'Resume' : 'Pause';
  }

  async function describeInUse(): Promise<void> {
    const id = modelSelect.value as ModelId;
    const entry = await getModel(id);
    inUse.textContent = `${id}: ${entry.source}${accuracyLabel(entry) ? ` · ${accuracyLabel(entry)}` : ''}`;
    root.dataset.inUse = entry.source;
    revert.disabled = entry.source === 'pretrained';
  }

  let redraw = 0;
  function scheduleRedraw(): void {
    // Charts redraw at most ~5 times a second, whatever the step rate.
    if (redraw) return;
    redraw = window.setTimeout(() => {
      redraw = 0;
      lossChart?.update('none');
      accChart?.update('none');
    }, 200);
  }

  async function train(): Promise<void> {
    const id = modelSelect.value as ModelId;
    const total = Math.max(1, Math.floor(Number(steps.value) || 1));
    const chosen = settings.current();
    const fits = sameArchitecture(chosen, settings.defaults());
    runs++;
    root.dataset.runs = String(runs);
    const label = `#${runs} ${id.replace('convnet-', '')}`;
    const color = runColor(runs);
    legend.add(runs, `${label}: ${describeSettings(chosen)}`);
    const lossData: Point[] = [];
    const heldLoss: Point[] = [];
    const heldAcc: Point[] = [];
    const named = `${label} (${describeSettings(chosen)})`;
    lossChart?.data.datasets.push({
      label: named,
      data: lossData,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 1.5,
      pointRadius: 0,
    });
    lossChart?.data.datasets.push({
      label: `${label} held out`,
      data: heldLoss,
      borderColor: color,
      backgroundColor: color,
      borderDash: [5, 4],
      borderWidth: 1.5,
      pointRadius: 2,
    });
    if (RECIPES[id].accuracy)
      accChart?.data.datasets.push({
        label: named,
        data: heldAcc,
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.5,
        pointRadius: 2,
      });
    warnings.replaceChildren();
    root.dataset.losses = '[]';
    root.dataset.warnings = '0';
    pending = null;
    use.disabled = true;
    discard.disabled = true;
    const points: LossPoint[] = [];
    const losses: number[] = [];
    let backend = tf.getBackend();
    const t0 = performance.now();
    let firstStep = true;
    hint.textContent = '';
    delete root.dataset.firstStepMs;
    const evalEvery = Math.max(10, Math.round(total / 15));
    setState('running');
    progress.textContent = `starting a worker on ${backend}…`;
    const run = new TrainRun(
      { id, steps: total, backend, evalEvery, settings: chosen },
      {
        onBackend: (name, note) => {
          backend = name;
          root.dataset.workerBackend = name;
          // GPU backends compile their kernels during the first steps, which can take a while.
          const first = ['webgl', 'webgpu'].includes(name) ? ': compiling kernels, the first steps are slow' : '';
          progress.textContent = `worker started on ${name}${note ? ` (${note})` : ''}${first}; measuring the untrained model…`;
        },
        onLosses: (ps) => {
          if (firstStep && ps.length) {
            firstStep = false;
            const ms = performance.now() - t0;
            const timed = firstSteps.get(id) ?? new Map<string, number>();
            hint.textContent = slowBackendHint(backend, ms, timed) ?? '';
            timed.set(backend, ms);
            firstSteps.set(id, timed);
            root.dataset.firstStepMs = ms.toFixed(0);
          }
          for (const p of ps) {
            points.push(p);
            losses.push(p.loss);
            lossData.push({ x: p.step, y: p.loss });
          }
          if (points.length > 600) points.splice(0, points.length - 600);
          const last = ps.at(-1);
          const rate = recentRate(points);
          root.dataset.losses = JSON.stringify(losses);
          root.dataset.stepsPerSec = rate.toFixed(2);
          if (last)
            progress.textContent = `step ${last.step}/${total} · loss ${fmt(last.loss, 4)} · ${rate.toFixed(1)} steps/s (last 5 s) on ${backend}`;
          lossCanvas.setAttribute(
            'aria-label',
            `training loss per step: run ${label}, step ${last?.step ?? 0}, loss ${fmt(last?.loss ?? NaN, 4)}`,
          );
          scheduleRedraw();
        },
        onHeldOut: (p) => {
          heldLoss.push({ x: p.step, y: p.loss });
          if (p.accuracy !== null) {
            heldAcc.push({ x: p.step, y: p.accuracy });
            accCanvas.setAttribute('aria-label', `held-out accuracy: run ${label}, ${(p.accuracy * 100).toFixed(1)}% at step ${p.step}`);
          }
          scheduleRedraw();
        },
        onWarning: (message) => {
          // The same pitfall seen from two call sites (training step, held-out pass) is one lesson.
          if ([...warnings.children].some((li) => li.textContent === `⚠ ${message}`)) return;
          warnings.append(h('li', {}, `⚠ ${message}`));
          root.dataset.warnings = String(warnings.childElementCount);
        },
        onPaused: (p) => setState(p ? 'paused' : 'running'),
      },
    );
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
      use.disabled = !fits;
      discard.disabled = false;
      setState(r.stopped ? 'stopped' : 'done');
    } catch (e) {
      progress.textContent = `failed: ${(e as Error).message}`;
      setState('failed');
    } finally {
      current = null;
      scheduleRedraw();
    }
  }

  start.addEventListener('click', () => void train());
  pause.addEventListener('click', () => (root.dataset.trainState === 'paused' ? current?.resume() : current?.pause()));
  stop.addEventListener('click', () => current?.stop());
  use.addEventListener('click', () => {
    if (!pending) return;
    const { id, label, result: r } = pending;
    const acc = r.heldOut?.accuracy;
    void adoptWeights(
      id,
      r.weights,
      'trained in page',
      acc == null ? null : { accuracy: acc, on: 'synthetic digits, measured in this page' },
    ).then(async () => {
      result.textContent = `The other tabs now use the weights of run ${label} (${r.steps} steps).`;
      root.dataset.result = 'used';
      pending = null;
      use.disabled = true;
      discard.disabled = true;
      modelSelect.value = id;
      await describeInUse();
    });
  });
  discard.addEventListener('click', () => {
    const label = pending?.label ?? '';
    pending = null;
    use.disabled = true;
    discard.disabled = true;
    result.textContent = `Run ${label} discarded: the other tabs keep the weights they had.`;
    root.dataset.result = 'discarded';
  });
  revert.addEventListener('click', () => {
    const id = modelSelect.value as ModelId;
    void revertToPretrained(id).then(async () => {
      await describeInUse();
      // Whatever an earlier message said about adopted weights is no longer true for this model.
      result.textContent = `Reverted: the other tabs use the shipped ${id} weights again.`;
      root.dataset.result = 'reverted';
    });
  });
  download.addEventListener('click', () => {
    const id = modelSelect.value as ModelId;
    void currentWeights(id).then((bytes) => {
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const a = h('a', { href: url, download: `${id}.safetensors` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      weightsNote.textContent = `downloaded ${id}.safetensors (${bytes.byteLength.toLocaleString('en')} bytes)`;
    });
  });
  uploadLabel.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      upload.click();
    }
  });
  upload.addEventListener('change', () => {
    const file = upload.files?.[0];
    if (!file) return;
    const id = modelSelect.value as ModelId;
    void file
      .arrayBuffer()
      .then((buf) => adoptWeights(id, new Uint8Array(buf), 'uploaded', null))
      .then(async () => {
        weightsNote.textContent = `loaded ${file.name} into ${id}; every tab uses it now`;
        result.textContent = `The other tabs use the uploaded ${id} weights, not a run's.`;
        root.dataset.result = 'uploaded';
        weightsNote.classList.remove('error');
        await describeInUse();
      })
      .catch((e: Error) => {
        // Strict loading checks every name and shape first, so a wrong file changes nothing.
        weightsNote.textContent = `${file.name} not loaded (weights unchanged): ${e.message}`;
        weightsNote.classList.add('error');
      })
      .finally(() => (upload.value = ''));
  });
  modelSelect.addEventListener('change', () => {
    writeParams({ model: modelSelect.value });
    // Another model starts from its own recipe (a convnet's SGD rate would not suit a VAE).
    settings.load(modelSelect.value as ModelId, false);
    void describeInUse();
  });
  clearCharts.addEventListener('click', () => {
    for (const c of [lossChart, accChart]) {
      if (!c) continue;
      c.data.datasets = [];
      c.update('none');
    }
    root.dataset.runs = '0';
    legend.clear();
  });
  on('backend', (name) => {
    // The worker follows the page's backend between two steps.
    if (current) current.switchBackend(name);
  });
  on('weights', () => void describeInUse());

  return {
    async show() {
      lossChart ??= lineChart(lossCanvas, 'loss');
      accChart ??= lineChart(accCanvas, 'accuracy', 1);
      await describeInUse();
      root.dataset.state = 'ready';
    },
    async refresh() {},
  };
}
