import fs from 'node:fs';
import path from 'node:path';
import { readJson } from '../fsutil';
import { setupBackend } from '../backend';
import { UsageError } from '../errors';
import { EXPERIMENTS } from '../experiments/index';
import type { ExperimentContext, Summary } from '../experiments/types';
import { EXPERIMENT_NAMES } from '../names';
import { type CommonOptions, describeData } from '../options';
import { progressBar } from '@logitlab/train/node';
import { formatDuration } from '../progress';
import { Report, fmt } from '../report';
import { RunDir, defaultRunDir, timestamp } from '../run-dir';

interface StoredConfig {
  command: string;
  experiment: string;
  seed: number;
  quick: boolean;
  options: Record<string, unknown>;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** config.json records the flags so a resumed run can be checked against (and continue with) them. */
function configOf(command: string, name: string, seed: number, opts: CommonOptions): StoredConfig {
  return {
    command,
    experiment: name,
    seed,
    quick: opts.quick,
    options: {
      ...opts,
      data: describeData(opts.data),
      dataSpec: opts.data,
      argv: process.argv.slice(2),
      startedAt: new Date().toISOString(),
    },
  };
}

/**
 * Runs one experiment into `dir` with the backend already set up. On --resume the stored config's
 * experiment, seed and quick flag win, so the continued run trains the same thing.
 */
export async function runExperimentIn(name: string, dir: string, opts: CommonOptions, backend: string, parent?: RunDir): Promise<Summary> {
  const load = EXPERIMENTS[name];
  if (!load) throw new UsageError(`unknown experiment '${name}', expected one of ${EXPERIMENT_NAMES.join(', ')}`);
  const experiment = await load();
  const run = new RunDir(dir, parent);
  let effective = opts;
  let seed = opts.seed ?? experiment.seed;
  if (opts.resume) {
    const stored = run.readConfig<StoredConfig>();
    if (stored.experiment !== name) throw new UsageError(`--resume: ${dir} is a '${stored.experiment}' run, not '${name}'`);
    seed = stored.seed;
    const o = stored.options as Partial<CommonOptions> & { dataSpec?: CommonOptions['data'] };
    effective = {
      ...opts,
      quick: stored.quick,
      epochs: opts.epochs ?? o.epochs,
      batchSize: opts.batchSize ?? o.batchSize,
      lr: opts.lr ?? o.lr,
      data: o.dataSpec ?? opts.data,
    };
  } else {
    run.writeConfig(configOf('experiment', name, seed, opts));
  }
  const ctx: ExperimentContext = {
    opts: effective,
    run,
    seed,
    backend,
    log: (line) => log(`[${name}] ${line}`),
    progress: (label) => progressBar({ label: `[${name}] ${label}` }),
  };
  const t0 = performance.now();
  log(`[${name}] ${experiment.title} -> ${path.relative(process.cwd(), dir) || dir}`);
  const summary = await experiment.run(ctx);
  summary.durationSec = Math.round((performance.now() - t0) / 100) / 10;
  run.writeSummary(summary);
  log(`[${name}] done in ${formatDuration(summary.durationSec)}: ${path.join(path.relative(process.cwd(), dir) || dir, 'report.md')}`);
  return summary;
}

export async function experimentCommand(name: string, opts: CommonOptions): Promise<void> {
  const backend = await setupBackend(opts.backend);
  log(`backend: ${backend.description}`);
  const dir = opts.resume ?? (opts.out ? path.resolve(opts.out) : defaultRunDir(name));
  await runExperimentIn(name, dir, opts, backend.name);
}

/** Headline numbers of each experiment for the tour's index report. */
function headline(name: string, s: Summary): string {
  const g = (p: string): unknown =>
    p.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), s);
  switch (name) {
    case 'heads':
      return ['logSoftmax', 'logits', 'softmax', 'sigmoid'].map((h) => `${h} ${fmt(g(`results.${h}.testAccuracy`), 3)}`).join(', ');
    case 'deep-taylor':
      return `accuracy ${fmt(g('testAccuracy'), 3)}, AOPC deepTaylor ${fmt(g('aopc.deepTaylor'), 3)} / sensitivity ${fmt(g('aopc.sensitivity'), 3)} / random ${fmt(g('aopc.random'), 3)}, conservation err ${fmt(g('conservation.maxRelError'))}`;
    case 'segmentation':
      return `mean IoU ${fmt(g('meanIoU'), 3)}`;
    case 'multilabel':
      return `subset accuracy: BCE ${fmt(g('subsetAccuracy.bceWithLogits'), 3)} vs softmax ${fmt(g('subsetAccuracy.softmax'), 3)}`;
    case 'batchnorm':
      return `forward changes stats: ${fmt(g('runningStatsChangedByForward'))}, optimizer step: ${fmt(g('runningStatsChangedByOptimizerStep'))}, eval uses them: ${fmt(g('evalUsesRunningStats'))}`;
    case 'logits':
      return String(g('conclusion') ?? '');
    case 'vae-beta': {
      const runs = (s.runs as { model: string; beta: number | null; reconstructionLoss: number; kl: number }[] | undefined) ?? [];
      return runs
        .map((r) => `${r.model}${r.beta != null ? ` b=${r.beta}` : ''}: rec ${fmt(r.reconstructionLoss, 2)} kl ${fmt(r.kl, 2)}`)
        .join('; ');
    }
    default:
      return '';
  }
}

export async function tourCommand(opts: CommonOptions & { only?: string[] }): Promise<void> {
  const names = opts.only ?? EXPERIMENT_NAMES;
  const backend = await setupBackend(opts.backend);
  log(`backend: ${backend.description}`);
  const base = opts.resume ?? (opts.out ? path.resolve(opts.out) : path.join(process.cwd(), 'runs', `tour-${timestamp()}`));
  const t0 = performance.now();
  const rows: unknown[][] = [];
  const summaries: Record<string, Summary> = {};
  const tour = new RunDir(base);
  if (!opts.resume) tour.writeConfig(configOf('tour', 'tour', opts.seed ?? 0, opts));
  for (const name of names) {
    const dir = path.join(base, name);
    let s: Summary;
    if (opts.resume && fs.existsSync(path.join(dir, 'summary.json'))) {
      // finished before the interruption: keep its results
      s = readJson<Summary>(path.join(dir, 'summary.json'));
      log(`[${name}] already finished in ${path.relative(process.cwd(), dir) || dir}`);
    } else {
      const resume = opts.resume && fs.existsSync(path.join(dir, 'config.json')) ? dir : undefined;
      s = await runExperimentIn(name, dir, { ...opts, out: dir, resume }, backend.name, tour);
    }
    summaries[name] = s;
    rows.push([`[${name}](${name}/report.md)`, headline(name, s), formatDuration(s.durationSec ?? NaN)]);
  }
  const total = (performance.now() - t0) / 1000;
  tour.writeSummary({
    experiment: 'tour',
    backend: backend.name,
    quick: opts.quick,
    durationSec: Math.round(total * 10) / 10,
    experiments: summaries,
  });
  tour.writeReport(
    new Report('logitlab tour')
      .paragraph(
        `All experiments${opts.quick ? ' in quick mode' : ''} on the **${backend.description}** backend, in ${formatDuration(total)}. Each row links to its full report.`,
      )
      .table(['experiment', 'headline', 'time'], rows)
      .toString(),
  );
  log(`tour done in ${formatDuration(total)}: ${path.join(path.relative(process.cwd(), base) || base, 'report.md')}`);
}
