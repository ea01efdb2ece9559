import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { HeldOutPoint, LossPoint } from '../train/protocol';
import { fmt, h } from '../ui/dom';
import { runColor, runLegend } from '../ui/run-legend';

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

/** One run's curves: what the run's callbacks add to. */
export interface RunCurves {
  losses(points: LossPoint[]): void;
  heldOut(point: HeldOutPoint): void;
}

/**
 * The Train tab's loss and held-out accuracy charts: every run keeps its curves (one colour per run,
 * named in a text legend) until Clear curves. Charts exist once the tab is shown (Chart.js measures
 * its box) and redraw at most ~5 times a second, whatever the step rate.
 */
export class TrainCharts {
  readonly legend = runLegend();
  private readonly lossCanvas = h('canvas', { id: 'loss-chart', role: 'img', 'aria-label': 'training loss per step (no run yet)' });
  private readonly accCanvas = h('canvas', { id: 'accuracy-chart', role: 'img', 'aria-label': 'held-out accuracy (no run yet)' });
  readonly clearButton = h('button', { class: 'btn', id: 'train-clear-charts' }, 'Clear curves');
  readonly el = h(
    'div',
    { class: 'charts' },
    h(
      'div',
      { class: 'card' },
      h('h3', {}, 'loss (solid: training batch, dashed: held out)'),
      h('div', { class: 'chart-box' }, this.lossCanvas),
    ),
    h('div', { class: 'card' }, h('h3', {}, 'held-out accuracy'), h('div', { class: 'chart-box' }, this.accCanvas)),
  );
  private loss: LineChart | null = null;
  private acc: LineChart | null = null;
  private redraw = 0;

  /** Makes the charts (first show of the tab). */
  show(): void {
    this.loss ??= lineChart(this.lossCanvas, 'loss');
    this.acc ??= lineChart(this.accCanvas, 'accuracy', 1);
  }

  /** Adds run `run`'s curves (an accuracy curve only where the model has one). */
  addRun(run: number, label: string, settings: string, withAccuracy: boolean): RunCurves {
    const color = runColor(run);
    this.legend.add(run, `${label}: ${settings}`);
    const lossData: Point[] = [];
    const heldLoss: Point[] = [];
    const heldAcc: Point[] = [];
    const named = `${label} (${settings})`;
    const line = { borderColor: color, backgroundColor: color, borderWidth: 1.5 };
    this.loss?.data.datasets.push({ label: named, data: lossData, ...line, pointRadius: 0 });
    this.loss?.data.datasets.push({ label: `${label} held out`, data: heldLoss, ...line, borderDash: [5, 4], pointRadius: 2 });
    if (withAccuracy) this.acc?.data.datasets.push({ label: named, data: heldAcc, ...line, pointRadius: 2 });
    return {
      losses: (ps) => {
        for (const p of ps) lossData.push({ x: p.step, y: p.loss });
        const last = ps.at(-1);
        this.lossCanvas.setAttribute(
          'aria-label',
          `training loss per step: run ${label}, step ${last?.step ?? 0}, loss ${fmt(last?.loss ?? NaN, 4)}`,
        );
        this.scheduleRedraw();
      },
      heldOut: (p) => {
        heldLoss.push({ x: p.step, y: p.loss });
        if (p.accuracy !== null) {
          heldAcc.push({ x: p.step, y: p.accuracy });
          this.accCanvas.setAttribute('aria-label', `held-out accuracy: run ${label}, ${(p.accuracy * 100).toFixed(1)}% at step ${p.step}`);
        }
        this.scheduleRedraw();
      },
    };
  }

  clear(): void {
    for (const c of [this.loss, this.acc]) {
      if (!c) continue;
      c.data.datasets = [];
      c.update('none');
    }
    this.legend.clear();
  }

  scheduleRedraw(): void {
    if (this.redraw) return;
    this.redraw = window.setTimeout(() => {
      this.redraw = 0;
      this.loss?.update('none');
      this.acc?.update('none');
    }, 200);
  }
}
