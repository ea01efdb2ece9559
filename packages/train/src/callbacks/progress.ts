import type { Module } from '@logitlab/layers';
import type { Callback, EpochLogs, TrainContext } from '../types';

/** A progress snapshot: what a bar, a log line or a web page needs. */
export interface ProgressEvent {
  type: 'epoch-begin' | 'step' | 'epoch-end' | 'end';
  epoch: number;
  epochs: number;
  /** Batch within the epoch (1-based count of batches done). */
  batch: number;
  /** Batches per epoch, when the data source says. */
  batchesPerEpoch: number | undefined;
  /** Latest loss read from the device (updates every checkEvery steps). */
  loss: number | undefined;
  /** Samples per second in this epoch so far. */
  samplesPerSecond: number;
  /** Seconds left in this epoch, when batchesPerEpoch is known. */
  etaSeconds: number | undefined;
  /** The epoch's logs on 'epoch-end'. */
  logs?: EpochLogs;
}

export interface ProgressOptions {
  /** Called with every event (browser UIs). */
  onEvent?: (event: ProgressEvent) => void;
  /** Receives plain periodic lines (CI logs, consoles). */
  log?: (line: string) => void;
  /** Minimum seconds between 'step' lines / events. Default 5 for lines, 0.25 for events. */
  intervalSeconds?: number;
  /** Starts every line (which model is training when one program trains several). */
  label?: string;
}

/**
 * Progress without any terminal dependency: events for UIs and/or plain lines
 * ("epoch 2/10 batch 120/469 loss 0.3121 812 samples/s eta 43s"). For a TTY bar in Node use
 * `progressBar()` from `@logitlab/train/node`.
 */
export function progress<M extends Module = Module>(options: ProgressOptions = {}): Callback<M> {
  const { onEvent, log } = options;
  const prefix = options.label ? `${options.label} ` : '';
  const interval = (options.intervalSeconds ?? (log ? 5 : 0.25)) * 1000;
  const tracker = progressTracker();
  let lastEmit = 0;
  const send = (e: ProgressEvent) => {
    onEvent?.(e);
    if (log && e.type !== 'epoch-begin') log(prefix + formatProgress(e));
  };
  return {
    onEpochBegin(ctx) {
      tracker.begin();
      lastEmit = Date.now();
      onEvent?.(tracker.event('epoch-begin', ctx));
    },
    onBatchEnd(ctx, info) {
      tracker.batch(info.size);
      if (Date.now() - lastEmit >= interval) {
        lastEmit = Date.now();
        send(tracker.event('step', ctx));
      }
    },
    onLosses(_ctx, records) {
      tracker.loss(records.at(-1)?.loss);
    },
    onEpochEnd(ctx, logs) {
      send({ ...tracker.event('epoch-end', ctx), logs });
    },
  };
}

/** Shared bookkeeping of the progress callbacks (also used by the Node bar). */
export function progressTracker() {
  let started = Date.now();
  let batches = 0;
  let samples = 0;
  let loss: number | undefined;
  return {
    begin() {
      started = Date.now();
      batches = 0;
      samples = 0;
    },
    batch(size: number) {
      batches++;
      samples += size;
    },
    loss(value: number | undefined) {
      if (value !== undefined) loss = value;
    },
    event(type: ProgressEvent['type'], ctx: TrainContext<Module>): ProgressEvent {
      const seconds = Math.max(1e-3, (Date.now() - started) / 1000);
      const per = ctx.stepsPerEpoch;
      return {
        type,
        epoch: ctx.epoch,
        epochs: ctx.epochs,
        batch: batches,
        batchesPerEpoch: per,
        loss,
        samplesPerSecond: samples / seconds,
        etaSeconds: per && batches ? ((per - batches) * seconds) / batches : undefined,
      };
    },
  };
}

export function formatProgress(e: ProgressEvent): string {
  const parts = [`epoch ${e.epoch + 1}/${e.epochs}`];
  if (e.type === 'epoch-end' && e.logs) {
    for (const [k, v] of Object.entries(e.logs)) if (k !== 'epoch' && k !== 'steps') parts.push(`${k} ${fmt(v)}`);
    return parts.join(' ');
  }
  parts.push(`batch ${e.batch}${e.batchesPerEpoch ? `/${e.batchesPerEpoch}` : ''}`);
  if (e.loss !== undefined) parts.push(`loss ${fmt(e.loss)}`);
  parts.push(`${Math.round(e.samplesPerSecond)} samples/s`);
  if (e.etaSeconds !== undefined) parts.push(`eta ${Math.round(e.etaSeconds)}s`);
  return parts.join(' ');
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}
