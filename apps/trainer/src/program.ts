import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors';
import { checkOutDir } from './out-path';
import { unknownName } from './suggest';
import { version } from '../package.json';
import { MODEL_NAMES } from './cli-models';
import { experimentNames } from './experiments/index';
import { loadRegistries, type Registries } from './registries';
import {
  BACKENDS,
  type RawCommonOptions,
  parseBackend,
  parseData,
  parseLearningRate,
  parseNonNegativeInt,
  MAX_EXPLAIN_IMAGES,
  parsePositiveInt,
  parseImages,
  parseOnnxFile,
  parseRunDir,
  parseRunDirOrOnnx,
  resolveCommonOptions,
} from './options';
import type { CommonOptions, ExplainFlags } from './options';
import type { ExplainDatasetFlags } from './commands/explain-dataset';
import type { MergeFlags } from './commands/merge';
import { parseShard } from './dataset-run/shard';

/** commander only prints InvalidArgumentError as a one-line usage error; other throws would be stack traces. */
function flag<T>(parse: (value: string) => T): (value: string) => T {
  return (value: string) => {
    try {
      return parse(value);
    } catch (err) {
      // commander already names the option; drop our own "--flag: " prefix
      throw new InvalidArgumentError((err instanceof Error ? err.message : String(err)).replace(/^--?[\w-]+: /, ''));
    }
  };
}

function addCommonOptions(cmd: Command, { quickDefault = false } = {}): Command {
  return cmd
    .addOption(new Option('--backend <name>', `tfjs backend: ${BACKENDS.join(', ')}`).default('auto').argParser(flag(parseBackend)))
    .option(
      '--data <source>',
      'synthetic | mnist | fashion-mnist | kmnist | <dir of IDX files> (default: MNIST if cached, else synthetic)',
      flag(parseData),
    )
    .option('--download', 'download the dataset if it is not cached (verified, atomic)')
    .option(
      '--epochs <n>',
      'epochs (default: per experiment)',
      flag((v) => parsePositiveInt(v, '--epochs')),
    )
    .option(
      '--batch-size <n>',
      'batch size (default: per experiment)',
      flag((v) => parsePositiveInt(v, '--batch-size')),
    )
    .option(
      '--lr <rate>',
      'learning rate (default: per experiment)',
      flag((v) => parseLearningRate(v)),
    )
    .option(
      '--seed <n>',
      'random seed (default: the experiment number)',
      flag((v) => parseNonNegativeInt(v, '--seed')),
    )
    .option(
      '--out <dir>',
      'run directory (default: runs/<name>-<timestamp>)',
      flag((v) => checkOutDir(v)),
    )
    .option('--quick', `small data and few epochs (synthetic data unless --data is given)${quickDefault ? ' (default for tour)' : ''}`)
    .option(
      '--resume <dir>',
      'continue an interrupted run from its last checkpoint',
      flag((v) => parseRunDir(v)),
    );
}

/** The actions the program dispatches to; injected so flag parsing can be tested without training. */
export interface Actions {
  /** `model` is a model name, or the .onnx file of `--from`. */
  train(model: string, opts: CommonOptions & { head?: string; from?: boolean }): Promise<void>;
  evaluate(opts: {
    checkpoint: string;
    backend: CommonOptions['backend'];
    data: CommonOptions['data'] | undefined;
    download: boolean;
  }): Promise<void>;
  /** `checkpoint` is a run directory or an .onnx file. */
  explain(opts: ExplainFlags & { checkpoint: string }): Promise<void>;
  explainDataset(opts: ExplainDatasetFlags): Promise<void>;
  merge(opts: MergeFlags): Promise<void>;
  backends(): Promise<void>;
  bench(opts: BenchFlags): Promise<void>;
  experiment(name: string, opts: CommonOptions): Promise<void>;
  tour(opts: CommonOptions & { only?: string[] }): Promise<void>;
}

interface ExplainRaw {
  backend: CommonOptions['backend'];
  method: string;
  composite?: string;
  target?: number;
  images: number | string;
  out?: string;
  dataset?: boolean;
  data?: CommonOptions['data'];
  split: string;
  limit?: number;
  methods?: string;
  metrics: string;
  shard?: ReturnType<typeof parseShard>;
  batchSize: number;
  masks: string;
}

export interface BenchFlags {
  repeats: number;
  warmup: number;
  warmupSec: number;
  steps: number;
  json?: string;
  backends?: string[];
  workloads?: string[];
  torch: boolean;
  threads: number;
}

export const BENCH_WORKLOADS = ['convnet', 'sumpool-mlp', 'vae', 'bn-mlp'] as const;

function parseSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 600) throw new UsageError(`expected seconds in [0, 600], got '${value}'`);
  return n;
}

/** One of `allowed`, with a "did you mean" for a typo (commander's own choices() has none). */
function oneOf(allowed: readonly string[], what: string): (value: string) => string {
  return (value: string) => {
    if (!allowed.includes(value)) throw new UsageError(unknownName(what, value, allowed));
    return value;
  };
}

function listOf(allowed: readonly string[], what: string): (value: string) => string[] {
  return (value: string) => {
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = items.filter((i) => !allowed.includes(i));
    if (bad.length === 1) throw new UsageError(`${unknownName(what, bad[0]!, allowed)} (a comma-separated list)`);
    if (bad.length || items.length === 0)
      throw new UsageError(`unknown ${what} '${bad.join(',') || value}', expected a comma-separated list of ${allowed.join(', ')}`);
    return items;
  };
}

/** 'a, b,,c' -> ['a', 'b', 'c'] */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

export function buildProgram(
  actions: Actions,
  {
    exitOverride = false,
    writeErr,
    writeOut,
    registries = loadRegistries,
  }: {
    exitOverride?: boolean;
    writeErr?: (s: string) => void;
    writeOut?: (s: string) => void;
    /** Where the lists of names come from (loaded just before a command that needs them parses). */
    registries?: () => Promise<Registries>;
  } = {},
): Command {
  const program = new Command('logitlab');
  // Output settings must be set before subcommands are created: commander copies them at creation.
  program.configureOutput({
    ...(writeErr ? { writeErr } : {}),
    ...(writeOut ? { writeOut } : {}),
    // commander puts "(Did you mean ...?)" on a second line; keep every error on one line.
    outputError: (str, write) => write(`logitlab: ${str.trim().replace(/\s*\n\s*/g, ' ')}\n`),
  });
  if (exitOverride) program.exitOverride();
  // choices come from @logitlab/explain's registry, loaded only when `explain` is about to parse
  const methodOption = new Option('--method <name>', 'attribution method').default('lrp');
  const compositeOption = new Option(
    '--composite <name>',
    'LRP composite (default: deepTaylor for sumpool, epsilonGammaBox for convnet, epsilonPlus for bn-mlp and .onnx models)',
  );
  program.hook('preSubcommand', async (_program, sub) => {
    if (sub.name() !== 'explain') return;
    const { methods, composites } = await registries();
    methodOption.choices(methods);
    compositeOption.choices(composites);
  });
  program
    .description('Train, explain and inspect neural networks on TensorFlow.js; reproduces the six logitlab experiments.')
    .version(version, '-V, --version', 'print the logitlab version')
    .showHelpAfterError(false)
    .enablePositionalOptions();

  addCommonOptions(
    program
      .command('train')
      .description(`train one model and save its checkpoint, metrics and report; or fine-tune an imported .onnx classifier (--from)`)
      .addArgument(new Argument('[model]', `model to train: ${MODEL_NAMES.join(', ')}`).argParser(flag(oneOf(MODEL_NAMES, 'model'))))
      .addOption(
        new Option('--head <head>', 'convnet output head').choices(['logits', 'logSoftmax', 'softmax', 'sigmoid']).default('logSoftmax'),
      )
      .option(
        '--from <model.onnx>',
        'fine-tune a PyTorch classifier exported to ONNX on the digits; writes model.safetensors under its state-dict names',
        flag((v) => parseOnnxFile(v, '--from')),
      ),
  ).action(async (model: string | undefined, raw: RawCommonOptions & { head?: string; from?: string }) => {
    if (raw.from !== undefined && model !== undefined)
      throw new UsageError(`give a model name or --from <model.onnx>, not both ('${model}' and '${raw.from}')`);
    if (raw.from !== undefined) return actions.train(raw.from, { ...resolveCommonOptions(raw), from: true });
    if (model === undefined) throw new UsageError(`missing the model to train: ${MODEL_NAMES.join(', ')} (or --from <model.onnx>)`);
    await actions.train(model, { ...resolveCommonOptions(raw), head: raw.head });
  });

  program
    .command('evaluate')
    .description('evaluate a trained run (its last checkpoint) or an imported .onnx classifier on test data')
    .argument(
      '<run-dir>',
      'directory written by `logitlab train`, or a PyTorch model exported to .onnx (accuracy written to <model>.onnx.evaluation.json)',
      flag((v) => parseRunDirOrOnnx(v, 'run-dir')),
    )
    .addOption(new Option('--backend <name>', 'tfjs backend').default('auto').argParser(flag(parseBackend)))
    .option('--data <source>', 'test data (default: what the run trained on)', flag(parseData))
    .option('--download', 'download the dataset if it is not cached')
    .action(async (dir: string, raw: { backend: CommonOptions['backend']; data?: CommonOptions['data']; download?: boolean }) => {
      await actions.evaluate({ checkpoint: dir, backend: raw.backend, data: raw.data, download: raw.download ?? false });
    });

  program
    .command('explain')
    .description(
      'heatmaps and their evaluation for a trained convnet, bn-mlp or sumpool run, or a PyTorch model exported to .onnx (@logitlab/explain)',
    )
    .argument(
      '<run-dir>',
      'directory written by `logitlab train`, or an .onnx file (torch.onnx.export with training=PRESERVE, do_constant_folding=False)',
      flag((v) => parseRunDirOrOnnx(v, 'run-dir')),
    )
    .addOption(new Option('--backend <name>', 'tfjs backend').default('auto').argParser(flag(parseBackend)))
    .addOption(methodOption)
    .addOption(compositeOption)
    .option(
      '--target <class>',
      "class to explain (default: each image's predicted class)",
      flag((v) => parseNonNegativeInt(v, '--target')),
    )
    .option(
      '--images <n|source>',
      `images to explain: a count (at most ${MAX_EXPLAIN_IMAGES}), or for an .onnx model a dataset name (synthetic, mnist...), an IDX file or a directory of PNGs (pixels in [0, 1], resized to the model input)`,
      flag(parseImages),
      8,
    )
    .option(
      '--out <dir>',
      'where to write the heatmaps (default: the run directory); with --dataset, the shard directory',
      flag((v) => checkOutDir(v)),
    )
    .option('--dataset', 'explain a whole split, scored by explanation metric families, resumable and shardable')
    .option(
      '--data <source>',
      "--dataset: synthetic | mnist | fashion-mnist | kmnist | <dir of IDX files> (default: the run's data)",
      flag(parseData),
    )
    .addOption(new Option('--split <name>', '--dataset: which split').choices(['test', 'train']).default('test'))
    .option(
      '--limit <n>',
      '--dataset: the first n images of the split',
      flag((v) => parsePositiveInt(v, '--limit')),
    )
    .option('--methods <list>', '--dataset: comma-separated methods, lrp:<composite> for LRP (lrp:epsilonPlus,integratedGradients)')
    .option('--metrics <list>', '--dataset: comma-separated metric families or metric names, or all', 'all')
    .option(
      '--shard <I/N>',
      '--dataset: compute shard I of N (0-based; default JOB_COMPLETION_INDEX / JOB_COMPLETIONS, else all)',
      flag(parseShard),
    )
    .option(
      '--batch-size <n>',
      '--dataset: images per batch (and per committed file)',
      flag((v) => parsePositiveInt(v, '--batch-size')),
      32,
    )
    .addOption(
      new Option('--masks <kind>', "--dataset: localisation ground truth: the digit's strokes, or none")
        .choices(['strokes', 'none'])
        .default('strokes'),
    )
    .action(async (dir: string, raw: ExplainRaw) => {
      if (raw.dataset) {
        if (!raw.out) throw new UsageError('explain --dataset needs --out <dir> for its batch files');
        if (!raw.methods) throw new UsageError('explain --dataset needs --methods (e.g. lrp:epsilonPlus,integratedGradients)');
        await actions.explainDataset({
          checkpoint: dir,
          backend: raw.backend,
          ...(raw.data ? { data: raw.data } : {}),
          split: raw.split as 'test' | 'train',
          ...(raw.limit !== undefined ? { limit: raw.limit } : {}),
          methods: commaList(raw.methods),
          metrics: commaList(raw.metrics),
          out: raw.out,
          ...(raw.shard ? { shard: raw.shard } : {}),
          batchSize: raw.batchSize,
          masks: raw.masks as 'strokes' | 'none',
        });
        return;
      }
      const datasetOnly = (['data', 'limit', 'methods', 'shard'] as const).filter((k) => raw[k] !== undefined);
      if (datasetOnly.length > 0) throw new UsageError(`--${datasetOnly[0]} needs --dataset`);
      await actions.explain({
        checkpoint: dir,
        backend: raw.backend,
        images: raw.images,
        method: raw.method,
        composite: raw.composite,
        target: raw.target,
        out: raw.out,
      });
    });

  program
    .command('merge')
    .description('merge the shards of an `explain --dataset` run into one report (checks they are complete and consistent)')
    .argument('<dirs...>', 'shard directories (all N of them; one for an unsharded run)')
    .requiredOption(
      '--out <dir>',
      'report directory',
      flag((v) => checkOutDir(v)),
    )
    .option('--no-figures', 'skip the per-family figures')
    .action(async (dirs: string[], raw: { out: string; figures: boolean }) => {
      await actions.merge({ dirs, out: raw.out, figures: raw.figures });
    });

  program
    .command('backends')
    .description('list the installed tfjs backends and the one `auto` picks')
    .action(async () => {
      await actions.backends();
    });

  program
    .command('bench')
    .description('training and inference throughput of four workloads per backend, side by side with PyTorch when available')
    .option(
      '--repeats <n>',
      'timed repeats per measurement (median reported); 1 is a smoke run',
      flag((v) => parsePositiveInt(v, '--repeats')),
      5,
    )
    .option(
      '--warmup <n>',
      'untimed warm-up steps',
      flag((v) => parseNonNegativeInt(v, '--warmup')),
      3,
    )
    .option(
      '--warmup-sec <s>',
      'warm-up lasts at least this many seconds too',
      flag((v) => parseSeconds(v)),
      1.5,
    )
    .option(
      '--steps <n>',
      'steps per timed repeat',
      flag((v) => parsePositiveInt(v, '--steps')),
      20,
    )
    .option('--json <file>', 'also write the results as JSON')
    .option(
      '--backends <list>',
      'comma-separated backends (default: every installed one that works in Node)',
      flag(
        listOf(
          BACKENDS.filter((b) => b !== 'auto'),
          'backend',
        ),
      ),
    )
    .option('--workloads <list>', `comma-separated subset of ${BENCH_WORKLOADS.join(', ')}`, flag(listOf(BENCH_WORKLOADS, 'workload')))
    .option('--no-torch', 'skip the PyTorch side-by-side run')
    .option(
      '--threads <n>',
      'threads for both logitlab (wasm) and PyTorch',
      flag((v) => parsePositiveInt(v, '--threads')),
      2,
    )
    .action(async (raw: BenchFlags) => {
      await actions.bench(raw);
    });

  addCommonOptions(
    program
      .command('experiment')
      .description('run one experiment and write its report')
      .addArgument(
        new Argument('<name>', `experiment: ${experimentNames().join(', ')}`).argParser(flag(oneOf(experimentNames(), 'experiment'))),
      ),
  ).action(async (name: string, raw: RawCommonOptions) => {
    await actions.experiment(name, resolveCommonOptions(raw));
  });

  addCommonOptions(
    program
      .command('tour')
      .description("all six experiments in quick mode (the README's main job; < 10 min on 2 cores)")
      .option('--only <list>', 'comma-separated subset of experiments', flag(listOf(experimentNames(), 'experiment')))
      .option('--full', 'full-size experiments instead of quick ones'),
    { quickDefault: true },
  ).action(async (raw: RawCommonOptions & { only?: string[]; full?: boolean }) => {
    const opts = resolveCommonOptions({ ...raw, quick: !raw.full });
    await actions.tour({ ...opts, only: raw.only });
  });

  return program;
}
