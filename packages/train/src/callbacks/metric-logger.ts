import type { Module } from '@logitlab/layers';
import type { Callback } from '../types';

/** Receives one JSON line (no trailing newline). Node: `jsonlFileSink(path)` from `@logitlab/train/node`. */
export type LineSink = (line: string) => void | Promise<void>;

export interface MetricLoggerOptions {
  /** Also log every step's loss (as read, in groups of checkEvery). Default true. */
  steps?: boolean;
  /** Fields added to every line (run id, model name). */
  extra?: Record<string, string | number | boolean>;
}

/**
 * Logs JSONL: `{"type":"step","epoch","step","batch","loss","time"}` per training step and
 * `{"type":"epoch","epoch","steps","loss","val_...","seconds","time"}` per epoch. Non-finite numbers
 * are written as null (JSON has no NaN).
 */
export function metricLogger<M extends Module = Module>(sink: LineSink, options: MetricLoggerOptions = {}): Callback<M> {
  const { steps = true, extra = {} } = options;
  const write = (obj: Record<string, unknown>) => sink(JSON.stringify({ ...extra, ...obj, time: new Date().toISOString() }, finite));
  return {
    async onLosses(_ctx, records) {
      if (!steps) return;
      for (const r of records) await write({ type: 'step', epoch: r.epoch, step: r.step, batch: r.batch, loss: r.loss });
    },
    async onEpochEnd(_ctx, logs) {
      await write({ type: 'epoch', ...logs });
    },
  };
}

function finite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
