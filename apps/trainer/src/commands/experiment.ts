import fs from 'node:fs';
import path from 'node:path';
import { readJson } from '../fsutil';
import { setupBackend } from '../backend';
import { UsageError } from '../errors';
import type { ExperimentContext, Summary } from '../context';
import { EXPERIMENTS, type Experiment, experimentNames } from '../experiments/index';
import { type CommonOptions, describeData } from '../options';
import { progressBar } from '@logitlab/train/node';
import { formatDuration } from '../progress';
import { Report } from '../report';
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

async function load(name: string): Promise<Experiment> {
  const entry = EXPERIMENTS.find((e) => e.name === name);
  if (!entry) throw new UsageError(`unknown experiment '${name}', expected one of ${experimentNames().join(', ')}`);
  return entry.load();
}

/**
 * Runs one experiment into `dir` with the backend already set up. On --resume the stored config's
 * experiment, seed and quick flag win, so the continued run trains the same thing.
 */
export async function runExperimentIn(name: string, dir: string, opts: CommonOptions, backend: string, parent?: RunDir): Promise<Summary> {
  const experiment = await load(name);
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

export async function tourCommand(opts: CommonOptions & { only?: string[] }): Promise<void> {
  const names = opts.only ?? experimentNames();
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
    rows.push([`[${name}](${name}/report.md)`, (await load(name)).headline(s), formatDuration(s.durationSec ?? NaN)]);
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
