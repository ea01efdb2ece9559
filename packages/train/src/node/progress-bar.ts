import type { Module } from '@logitlab/layers';
import { type Callback, formatProgress, progress, progressTracker, type TrainContext } from '@logitlab/train';

/**
 * The part of a terminal stream the bar uses (process.stderr is one). Declared here rather than as
 * NodeJS.WriteStream so this package's public types do not need @types/node.
 */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** A TTY gets the live bar; anything else gets plain periodic lines. */
  isTTY?: boolean;
}

export interface ProgressBarOptions {
  /** Where to draw; default process.stderr. A TTY stream must be a full tty.WriteStream (cli-progress moves the cursor). */
  stream?: ProgressStream;
  /** Seconds between plain lines when the stream is not a TTY (CI logs). Default 10. */
  intervalSeconds?: number;
  /** Starts the bar and every line (which model is training when one program trains several). */
  label?: string;
}

interface Bar {
  start(total: number, value: number, payload?: Record<string, unknown>): void;
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}
type BarModule = { SingleBar: new (options: Record<string, unknown>, preset?: unknown) => Bar; Presets: Record<string, unknown> };

/**
 * A progress bar with ETA on a TTY (cli-progress, loaded only when a TTY is there), and plain
 * periodic lines otherwise, so CI logs stay readable. One line per epoch either way.
 */
export function progressBar<M extends Module = Module>(options: ProgressBarOptions = {}): Callback<M> {
  const stream: ProgressStream = options.stream ?? process.stderr;
  const { label } = options;
  if (!stream.isTTY)
    return progress<M>({ log: (line) => stream.write(`${line}\n`), intervalSeconds: options.intervalSeconds ?? 10, label });
  const prefix = label ? `${label} ` : '';
  const tracker = progressTracker();
  let bar: Bar | undefined;
  let mod: BarModule | undefined;
  const payload = (ctx: TrainContext<M>) => {
    const e = tracker.event('step', ctx);
    return { loss: e.loss?.toFixed(4) ?? '-', rate: Math.round(e.samplesPerSecond) };
  };
  return {
    async onTrainBegin() {
      const m = (await import('cli-progress')) as unknown as BarModule & { default?: BarModule };
      mod = m.default ?? m;
    },
    onEpochBegin(ctx) {
      tracker.begin();
      if (!mod) return;
      bar = new mod.SingleBar(
        {
          stream,
          format: `${prefix}epoch ${ctx.epoch + 1}/${ctx.epochs} {bar} {value}/{total} | loss {loss} | {rate} samples/s | eta {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
        },
        mod.Presets['shades_classic'],
      );
      bar.start(ctx.stepsPerEpoch ?? 0, 0, payload(ctx));
    },
    onBatchEnd(ctx, info) {
      tracker.batch(info.size);
      bar?.update(tracker.event('step', ctx).batch, payload(ctx));
    },
    onLosses(_ctx, records) {
      tracker.loss(records.at(-1)?.loss);
    },
    onEpochEnd(ctx, logs) {
      bar?.stop();
      bar = undefined;
      stream.write(`${prefix}${formatProgress({ ...tracker.event('epoch-end', ctx), logs })}\n`);
    },
    onTrainEnd() {
      bar?.stop();
    },
  };
}
