import type { Callback } from '@logitlab/train';
import type { CommonOptions } from './options';
import type { RunDir } from './run-dir';

/** What every run of the CLI (an experiment, `logitlab train`) gets: resolved flags, its run directory, output channels. */
export interface ExperimentContext {
  opts: CommonOptions;
  run: RunDir;
  /** The experiment's seed unless --seed overrides it. */
  seed: number;
  /** Backend actually in use (resolved from --backend). */
  backend: string;
  /** A line for the user (stdout). */
  log: (line: string) => void;
  /** Training progress for one model (a bar with ETA on a TTY, plain lines otherwise). */
  progress: (label: string) => Callback;
}

/** What a run writes to summary.json. */
export type Summary = Record<string, unknown> & { experiment: string; seed: number; backend: string; durationSec?: number };

/** The value at a dotted path of a summary ('aopc.deepTaylor'), or undefined. */
export function valueAt(s: Summary, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), s);
}
