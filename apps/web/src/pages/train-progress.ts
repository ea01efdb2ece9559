import { recentRate } from '../lib/rate';
import type { ModelId } from '../models/recipes';
import type { RunHandlers } from '../train/client';
import type { LossPoint } from '../train/protocol';
import { describeReplay } from '../train/replay-line';
import { slowBackendHint } from '../train/slow-hint';
import { fmt, h } from '../ui/dom';
import type { RunCurves } from './train-charts';

/**
 * The Train tab's live report of a run: the progress line (step, loss, recent steps/s, backend), whether
 * fit replays the compiled step, the slow-backend hint after the first step, the pitfall warnings, and
 * the page's data-* the e2e suite reads.
 */
export class RunProgress {
  readonly progress = h('div', { class: 'log', id: 'train-progress', role: 'status' }, 'idle');
  readonly replay = h('div', { class: 'log', id: 'train-compile' });
  readonly hint = h('div', { class: 'log', id: 'train-hint', role: 'status' });
  readonly warnings = h('ul', { class: 'log warnings', id: 'train-warnings', 'aria-live': 'polite' });
  // First-step times per model and backend in this session, for the slow-backend hint's comparison.
  private readonly firstSteps = new Map<ModelId, Map<string, number>>();

  constructor(private readonly root: HTMLElement) {}

  /** Resets the report for a new run of `id` on `backend`; returns the handlers that keep it (and `curves`) current. */
  start(id: ModelId, total: number, backend: string, label: string, curves: RunCurves): RunHandlers {
    const { root, progress, replay, hint, warnings } = this;
    warnings.replaceChildren();
    replay.textContent = '';
    for (const key of ['compileState', 'replayedSteps', 'compileSteps', 'compileFallbacks']) delete root.dataset[key];
    root.dataset.losses = '[]';
    root.dataset.warnings = '0';
    const points: LossPoint[] = [];
    const losses: number[] = [];
    const t0 = performance.now();
    let firstStep = true;
    hint.textContent = '';
    delete root.dataset.firstStepMs;
    progress.textContent = `starting a worker on ${backend}…`;
    return {
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
          const timed = this.firstSteps.get(id) ?? new Map<string, number>();
          hint.textContent = slowBackendHint(backend, ms, timed) ?? '';
          timed.set(backend, ms);
          this.firstSteps.set(id, timed);
          root.dataset.firstStepMs = ms.toFixed(0);
        }
        for (const p of ps) {
          points.push(p);
          losses.push(p.loss);
        }
        if (points.length > 600) points.splice(0, points.length - 600);
        const last = ps.at(-1);
        const rate = recentRate(points);
        root.dataset.losses = JSON.stringify(losses);
        root.dataset.stepsPerSec = rate.toFixed(2);
        if (last)
          progress.textContent = `step ${last.step}/${total} · loss ${fmt(last.loss, 4)} · ${rate.toFixed(1)} steps/s (last 5 s) on ${backend}`;
        curves.losses(ps);
      },
      onHeldOut: (p) => curves.heldOut(p),
      onReplay: (r) => {
        const { state, text } = describeReplay(r);
        replay.textContent = text;
        root.dataset.compileState = state;
        root.dataset.replayedSteps = String(r.replays);
        root.dataset.compileSteps = String(r.steps);
        root.dataset.compileFallbacks = JSON.stringify(r.fallbacks);
      },
      onWarning: (message) => {
        // The same pitfall seen from two call sites (training step, held-out pass) is one lesson.
        if ([...warnings.children].some((li) => li.textContent === `⚠ ${message}`)) return;
        warnings.append(h('li', {}, `⚠ ${message}`));
        root.dataset.warnings = String(warnings.childElementCount);
      },
    };
  }
}
