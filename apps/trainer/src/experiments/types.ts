import type { CommonOptions } from '../options';
import type { Callback } from '@logitlab/train';
import type { RunDir } from '../run-dir';

/** What every experiment gets from the CLI: resolved flags, its run directory, output channels. */
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

export type Summary = Record<string, unknown> & { experiment: string; seed: number; backend: string; durationSec?: number };

export interface Experiment {
  name: string;
  title: string;
  /** The seed notebook number this reproduces; also the default random seed. */
  seed: number;
  /** One line for --help and the tour's index. */
  description: string;
  run(ctx: ExperimentContext): Promise<Summary>;
}
