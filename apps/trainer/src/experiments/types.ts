import type { ExperimentContext, Summary } from '../context';

/** One experiment's module: loaded on demand from the list in `./index.ts`, which holds its name and description. */
export interface Experiment {
  title: string;
  /** The seed notebook number this reproduces; also the default random seed. */
  seed: number;
  run(ctx: ExperimentContext): Promise<Summary>;
  /** The tour's one-line headline of a finished run's summary. */
  headline(summary: Summary): string;
}
