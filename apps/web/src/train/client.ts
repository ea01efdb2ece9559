import type { ModelId } from '../models/recipes';
import type { FromWorker, HeldOutPoint, LossPoint, ReplayReport, ToWorker } from './protocol';
import type { TrainSettings } from './settings';

export interface RunHandlers {
  onBackend?(name: string, note: string): void;
  onLosses?(points: LossPoint[]): void;
  onHeldOut?(point: HeldOutPoint): void;
  /** After every step: how many steps fit replayed compiled, and why any ran eagerly. */
  onReplay?(report: ReplayReport): void;
  onWarning?(message: string): void;
  onPaused?(paused: boolean): void;
}

export interface RunOptions {
  id: ModelId;
  steps: number;
  /** Backend the worker starts (it falls back to wasm, then cpu, and says so). */
  backend: string;
  /** Held-out evaluation every this many steps (0: only before and after). */
  evalEvery?: number;
  /** Learning rate, batch size, optimiser and widths; absent: the recipe's. */
  settings?: TrainSettings;
}

export interface RunResult {
  /** The trained weights as safetensors bytes (PyTorch state-dict names). */
  weights: Uint8Array;
  steps: number;
  stopped: boolean;
  heldOut: HeldOutPoint | null;
}

/**
 * One training run in its own Web Worker. Vite bundles the worker from this `new URL(...)` form in
 * both `vite dev` and the production build.
 */
export class TrainRun {
  readonly done: Promise<RunResult>;
  private readonly worker: Worker;

  constructor(opts: RunOptions, handlers: RunHandlers = {}) {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `train-${opts.id}` });
    this.done = new Promise<RunResult>((resolve, reject) => {
      this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
        const m = e.data;
        if (m.type === 'backend') handlers.onBackend?.(m.name, m.note);
        else if (m.type === 'losses') handlers.onLosses?.(m.points);
        else if (m.type === 'heldOut') handlers.onHeldOut?.(m.point);
        else if (m.type === 'replay') handlers.onReplay?.(m.report);
        else if (m.type === 'warning') handlers.onWarning?.(m.message);
        else if (m.type === 'paused') handlers.onPaused?.(m.paused);
        else if (m.type === 'done') {
          resolve({ weights: new Uint8Array(m.weights), steps: m.steps, stopped: m.stopped, heldOut: m.heldOut });
          this.worker.terminate();
        } else if (m.type === 'error') {
          reject(new Error(m.message));
          this.worker.terminate();
        }
      });
      this.worker.addEventListener('error', (e) => {
        e.preventDefault();
        reject(new Error(`training worker failed: ${e.message || 'could not start'}`));
        this.worker.terminate();
      });
    });
    this.send({
      type: 'start',
      id: opts.id,
      steps: opts.steps,
      backend: opts.backend,
      evalEvery: opts.evalEvery ?? 0,
      settings: opts.settings ?? null,
    });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  /** Ends the run after the current step; `done` still resolves, with the weights so far. */
  stop(): void {
    this.send({ type: 'stop' });
  }

  switchBackend(name: string): void {
    this.send({ type: 'backend', name });
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m, []);
  }
}
