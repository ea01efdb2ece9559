import cliProgress from 'cli-progress';

export interface ProgressOptions {
  /** Defaults to whether stderr is a terminal. */
  tty?: boolean;
  /** Seconds between plain lines when not on a TTY. */
  intervalSec?: number;
  write?: (line: string) => void;
  now?: () => number;
}

/** Formats seconds as `1m05s` / `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * A progress bar with ETA on a terminal; on CI logs (no TTY) plain lines every few seconds and
 * one at the end, so a log shows the run is alive without megabytes of carriage returns.
 */
export class Progress {
  private bar: cliProgress.SingleBar | undefined;
  private total = 0;
  private label = '';
  private startedAt = 0;
  private lastLineAt = 0;
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly write: (line: string) => void;
  private readonly now: () => number;

  constructor(o: ProgressOptions = {}) {
    this.tty = o.tty ?? Boolean(process.stderr.isTTY);
    this.intervalMs = (o.intervalSec ?? 5) * 1000;
    this.write = o.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.now = o.now ?? Date.now;
  }

  start(total: number, label: string, startValue = 0): void {
    this.total = total;
    this.label = label;
    this.startedAt = this.now();
    this.lastLineAt = this.startedAt;
    if (this.tty) {
      this.bar = new cliProgress.SingleBar(
        { format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {info}`, hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, startValue, { info: '' });
    }
  }

  update(value: number, info = ''): void {
    if (this.bar) {
      this.bar.update(value, { info });
      return;
    }
    const t = this.now();
    if (t - this.lastLineAt >= this.intervalMs && value < this.total) {
      this.lastLineAt = t;
      this.write(this.line(value, info, t));
    }
  }

  stop(info = ''): void {
    if (this.bar) {
      this.bar.update(this.total, { info });
      this.bar.stop();
      this.bar = undefined;
      return;
    }
    this.write(this.line(this.total, info, this.now()));
  }

  private line(value: number, info: string, t: number): string {
    const elapsed = (t - this.startedAt) / 1000;
    const eta = value > 0 ? (elapsed * (this.total - value)) / value : NaN;
    const pct = this.total > 0 ? Math.floor((100 * value) / this.total) : 100;
    const tail = value >= this.total ? `done in ${formatDuration(elapsed)}` : `ETA ${formatDuration(eta)}`;
    return `${this.label}: ${value}/${this.total} (${pct}%) ${tail}${info ? ` | ${info}` : ''}`;
  }
}
