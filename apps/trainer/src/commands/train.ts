import path from 'node:path';
import { manualSeed } from '@logitlab/layers';
import { type CheckpointInfo, latestCheckpoint, listCheckpoints, loadCheckpoint } from '@logitlab/train';
import { progressBar } from '@logitlab/train/node';
import { setupBackend } from '../backend';
import { UsageError } from '../errors';
import { writeLossCurves } from '../figure-helpers';
import type { ExperimentContext } from '../context';
import { writeJsonAtomic } from '../fsutil';
import { type BackendChoice, type CommonOptions, type DataSpec, describeData } from '../options';
import { buildRecipe } from '../recipes';
import { Report, fmt } from '../report';
import { RunDir, defaultRunDir } from '../run-dir';
import { checkpointPrefix, checkpointStorage } from '../training';

export interface TrainConfig {
  command: 'train';
  model: string;
  head?: string;
  seed: number;
  quick: boolean;
  options: Partial<CommonOptions> & { dataSpec: DataSpec };
}

const log = (line: string) => process.stdout.write(`${line}\n`);

export function context(run: RunDir, opts: CommonOptions, seed: number, backend: string, name: string): ExperimentContext {
  return { opts, run, seed, backend, log: (l) => log(`[${name}] ${l}`), progress: (label) => progressBar({ label: `[${label}]` }) };
}

/** `logitlab train <model>`: one model, checkpoints each epoch, metrics, summary and report. */
export async function trainCommand(model: string, opts: CommonOptions & { head?: string }): Promise<void> {
  const backend = await setupBackend(opts.backend);
  log(`backend: ${backend.description}`);
  const dir = opts.resume ?? (opts.out ? path.resolve(opts.out) : defaultRunDir(`train-${model}`));
  const run = new RunDir(dir);
  let head = model === 'convnet' ? opts.head : undefined;
  let effective: CommonOptions = opts;
  let seed = opts.seed ?? 0;
  if (opts.resume) {
    const stored = run.readConfig<TrainConfig>();
    if (stored.command !== 'train' || stored.model !== model) {
      throw new UsageError(
        `--resume: ${dir} is a ${stored.command === 'train' ? `'${stored.model}' training run` : `'${stored.command}' run`}, not 'train ${model}'`,
      );
    }
    head = stored.head;
    seed = stored.seed;
    effective = {
      ...opts,
      quick: stored.quick,
      data: stored.options.dataSpec,
      epochs: opts.epochs ?? stored.options.epochs,
      batchSize: opts.batchSize ?? stored.options.batchSize,
      lr: opts.lr ?? stored.options.lr,
    };
  } else {
    const config: TrainConfig = {
      command: 'train',
      model,
      ...(head ? { head } : {}),
      seed,
      quick: opts.quick,
      options: { ...opts, dataSpec: opts.data },
    };
    run.writeConfig({ ...config, data: describeData(opts.data), argv: process.argv.slice(2) });
  }
  const ctx = context(run, effective, seed, backend.name, model);
  manualSeed(seed);
  const recipe = await buildRecipe(model, head, ctx);
  try {
    const trained = await recipe.train(model);
    const checkpointFile = path.relative(
      dir,
      path.join(checkpointStorage(dir).dir, (await listCheckpoints(checkpointStorage(dir), checkpointPrefix(model))).at(-1) ?? ''),
    );
    const metrics = await recipe.evaluate();
    for (const [k, v] of Object.entries(metrics)) log(`[${model}] ${k}: ${fmt(v)}`);
    await writeLossCurves(ctx, 'loss-curve.png', trained.steps, { title: `${recipe.recipe.label}: training loss` });
    run.writeSummary({
      command: 'train',
      model,
      recipe: recipe.recipe.id,
      arch: recipe.model.toString(),
      seed,
      backend: backend.name,
      data: recipe.source,
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      lr: recipe.lr,
      finalLoss: trained.finalLoss,
      resumedFromEpoch: trained.resumedFromEpoch,
      metrics,
      checkpoint: checkpointFile,
    });
    run.writeReport(
      new Report(`train ${model}`)
        .paragraph(
          `${recipe.recipe.label} (recipe \`${recipe.recipe.id}\`) on ${recipe.source}: ${recipe.recipe.describe(effective.quick ? 'quick' : 'full', recipe)}, seed ${seed}, backend ${backend.description}.`,
        )
        .code(recipe.model.toString())
        .table(
          ['epoch', 'mean training loss'],
          trained.history.map((h) => [h.epoch + 1, h.loss]),
        )
        .table(['metric', 'value'], Object.entries(metrics))
        .image('loss-curve.png', 'training loss')
        .paragraph(
          `Checkpoint (safetensors; \`model.*\` tensors carry PyTorch state-dict names): \`${checkpointFile}\`. Evaluate again with \`logitlab evaluate ${path.relative(process.cwd(), dir) || dir}\`.`,
        )
        .toString(),
    );
    log(`[${model}] done: ${path.join(path.relative(process.cwd(), dir) || dir, 'report.md')}`);
  } finally {
    recipe.model.dispose();
    recipe.optimizer.dispose();
  }
}

/** A `logitlab train` run's config and the bytes of its newest checkpoint. */
export async function readTrainRun(dir: string): Promise<{ config: TrainConfig; checkpoint: Uint8Array }> {
  const config = new RunDir(dir).readConfig<TrainConfig>();
  if (config.command !== 'train') throw new UsageError(`${dir} is not a \`logitlab train\` run (it was made by '${config.command}')`);
  const storage = checkpointStorage(dir);
  const checkpoint = await latestCheckpoint(storage, checkpointPrefix(config.model));
  if (!checkpoint)
    throw new UsageError(
      `${dir} has no checkpoint yet (no ${checkpointPrefix(config.model)}-epoch-*.safetensors in ${path.relative(dir, storage.dir)})`,
      1,
    );
  return { config, checkpoint };
}

/** Weights only (no optimizer): a checkpoint of another architecture is refused before any weight is touched. */
export function loadWeights(bytes: Uint8Array, model: Parameters<typeof loadCheckpoint>[1], arch: string): Promise<CheckpointInfo> {
  return loadCheckpoint(bytes, model, undefined, { arch });
}

/** `logitlab evaluate <run-dir>`: reload the last checkpoint and score it on held-out data. */
export async function evaluateCommand(o: {
  checkpoint: string;
  backend: BackendChoice;
  data: DataSpec | undefined;
  download: boolean;
}): Promise<void> {
  const { config, checkpoint } = await readTrainRun(o.checkpoint);
  const backend = await setupBackend(o.backend);
  const run = new RunDir(o.checkpoint);
  const opts: CommonOptions = {
    backend: o.backend,
    data: o.data ?? config.options.dataSpec,
    download: o.download,
    quick: config.quick,
    epochs: config.options.epochs,
    batchSize: config.options.batchSize,
    lr: config.options.lr,
  };
  const ctx = context(run, opts, config.seed, backend.name, 'evaluate');
  manualSeed(config.seed);
  const recipe = await buildRecipe(config.model, config.head, ctx);
  try {
    const arch = recipe.model.toString();
    const meta = await loadWeights(checkpoint, recipe.model, arch);
    const metrics = await recipe.evaluate();
    writeJsonAtomic(run.file('evaluation.json'), {
      model: config.model,
      arch,
      epoch: meta.epoch,
      backend: backend.name,
      data: recipe.source,
      metrics,
      at: new Date().toISOString(),
    });
    log(`${recipe.recipe.label} after epoch ${meta.epoch} on ${recipe.source}:`);
    for (const [k, v] of Object.entries(metrics)) log(`  ${k}: ${fmt(v)}`);
  } finally {
    recipe.model.dispose();
    recipe.optimizer.dispose();
  }
}
