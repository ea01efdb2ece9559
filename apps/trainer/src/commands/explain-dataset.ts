import path from 'node:path';
import { DataLoader, MNIST_MEAN, MNIST_STD } from '@logitlab/datasets';
import { explainDataset, type MethodSpec, methodLabel, parseMethodSpec } from '@logitlab/explain';
import { manualSeed } from '@logitlab/layers';
import { MissingMasksError, selectMetrics } from '@logitlab/metrics';
import { setupBackend } from '../backend';
import { normalised } from '../data';
import { type CandidateSpec, EXTREMES_K, rankingMetric, withCandidates } from '../dataset-run/candidates';
import { loadSplit, type Split } from '../dataset-run/data';
import { datasetProgress } from '../dataset-run/progress';
import { datasetThroughput, formatThroughput } from '../dataset-run/throughput';
import { resolveShard, type Shard, shardBatches } from '../dataset-run/shard';
import { type DatasetManifest, finishedBatches, openShardDir, sha256, writeBatch } from '../dataset-run/store';
import { UsageError } from '../errors';
import { InterruptedError, interruptibly } from '../interrupt';
import type { BackendChoice, DataSpec } from '../options';
import { buildModel } from '../recipes';
import { loadWeights, readTrainRun } from './train';

export interface ExplainDatasetFlags {
  checkpoint: string;
  backend: BackendChoice;
  /** Default: the data the run trained on. */
  data?: DataSpec;
  split: Split;
  limit?: number;
  methods: string[];
  metrics: string[];
  out: string;
  shard?: Shard;
  batchSize: number;
  /** 'strokes': the digit's pixels above 0.5 are the localisation ground truth; 'none': no masks. */
  masks: 'strokes' | 'none';
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Per-method explain options for a model kind: zB's input domain, Grad-CAM's layer, occlusion's window. */
function withKindOptions(spec: MethodSpec, kind: string, range: [number, number]): MethodSpec {
  if (spec.method === 'lrp') return { ...spec, options: { bounds: range } };
  if (spec.method === 'gradCam') return { ...spec, options: { layer: kind === 'convnet' ? 'conv2' : undefined } };
  if (spec.method === 'occlusion') return { ...spec, options: kind === 'bn-mlp' ? { window: 28, stride: 28 } : { window: 4, stride: 2 } };
  return spec;
}

/**
 * `logitlab explain <run-dir> --dataset`: every chosen method on a whole split, scored by the chosen
 * metric families, one atomically committed file per batch in --out. A killed run started again with
 * the same command skips the finished batches (batch seeds make the rest come out the same); a shard
 * (--shard I/N or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX) computes its contiguous block of batches.
 */
export async function explainDatasetCommand(o: ExplainDatasetFlags): Promise<void> {
  const shard = resolveShard(o.shard);
  const specs = o.methods.map(parseMethodSpec);
  const entries = selectMetrics(o.metrics.includes('all') ? 'all' : o.metrics);
  const metrics = entries.map((m) => m.name);
  const needMasks = entries.filter((m) => m.needs.includes('masks')).map((m) => m.name);
  if (o.masks === 'none' && needMasks.length > 0) {
    throw new MissingMasksError(
      `${needMasks.join(', ')} need ground-truth masks, and --masks none gives none; drop the localisation family or use --masks strokes`,
    );
  }
  const { config, checkpoint } = await readTrainRun(o.checkpoint);
  const kind = config.model;
  if (kind !== 'convnet' && kind !== 'bn-mlp')
    throw new UsageError(`explain --dataset works on convnet and bn-mlp runs; ${o.checkpoint} trained '${kind}'`);
  const { set, source } = await loadSplit(o.data ?? config.options.dataSpec, o.split, o.limit, config.seed);
  if (set.count === 0) throw new UsageError(`no images in ${source}`);
  const range: [number, number] = [(0 - MNIST_MEAN) / MNIST_STD, (1 - MNIST_MEAN) / MNIST_STD];
  const methods = specs.map((s) => withKindOptions(s, kind, range));
  const batches = Math.ceil(set.count / o.batchSize);
  const ranked = rankingMetric(metrics);
  const candidates: CandidateSpec | null = ranked
    ? { rankedBy: ranked.name, higherIsBetter: ranked.higherIsBetter, k: EXTREMES_K, shape: [set.height, set.width] }
    : null;
  const manifest: DatasetManifest = {
    format: 'logitlab-explain-dataset/1',
    modelHash: sha256(checkpoint),
    model: `${kind}${config.head ? ` (${config.head} head)` : ''}`,
    data: source,
    split: o.split,
    count: set.count,
    batchSize: o.batchSize,
    seed: config.seed,
    target: 'predicted',
    masks: o.masks === 'strokes',
    methods: methods.map(methodLabel),
    metrics,
    candidates,
    shard,
    batches: shardBatches(batches, shard),
  };
  const out = path.resolve(o.out);
  // checks a resumed directory (same run, same shard, every finished batch readable) before any work
  openShardDir(out, manifest);
  const done = finishedBatches(out, manifest);
  const todo = manifest.batches.filter((b) => !done.has(b));
  log(
    `explain --dataset: ${source}, ${methods.length} method(s) x ${metrics.length} metric(s), shard ${shard.index}/${shard.count}: ` +
      `batches ${manifest.batches[0] ?? '-'}..${manifest.batches.at(-1) ?? '-'} of ${batches}, ${done.size} already done`,
  );
  if (todo.length === 0) {
    log(`explain --dataset: nothing to do; ${out} is complete`);
    return;
  }
  const backend = await setupBackend(o.backend);
  manualSeed(config.seed);
  const model = buildModel(kind, config.head);
  try {
    await loadWeights(checkpoint, model, model.toString());
    const loader = new DataLoader(
      { x: normalised(set.images), xShape: kind === 'bn-mlp' ? [784] : [28, 28, 1], y: set.labels, yShape: [] },
      { batchSize: o.batchSize, shuffle: false },
    );
    const masks = o.masks === 'strokes' ? Float32Array.from(set.images, (v) => (v > 0.5 ? 1 : 0)) : undefined;
    const todoSet = new Set(todo);
    const d = set.height * set.width;
    const pixels = (i: number) => set.images.slice(i * d, (i + 1) * d);
    const progress = datasetProgress(`[explain ${shard.index}/${shard.count}]`);
    let committed = done.size;
    let summary: Awaited<ReturnType<typeof explainDataset>>;
    try {
      // SIGTERM / SIGINT stop the run between two metrics: the batch in progress is dropped before
      // its file is written, so the directory holds only whole batches and a rerun resumes it
      summary = await interruptibly((signal) =>
        explainDataset(model, loader, {
          methods,
          metrics,
          ...(masks ? { masks } : {}),
          seed: config.seed,
          selectBatch: (b) => todoSet.has(b),
          // maps stay in memory for one batch; the file keeps only the best / worst candidates'
          keepMaps: candidates !== null,
          sink: (result) => {
            writeBatch(out, candidates ? withCandidates(result, candidates, pixels) : result);
            committed++;
          },
          onProgress: (p) => progress.update(p),
          signal,
        }),
      );
    } catch (err) {
      if (!(err instanceof InterruptedError)) throw err;
      throw new InterruptedError(
        err.signal,
        `explain --dataset: interrupted (${err.signal}); ${committed} of ${manifest.batches.length} batches of shard ${shard.index}/${shard.count} are committed in ${out} and any batch in progress was dropped; run the same command again to continue`,
      );
    } finally {
      progress.end();
    }
    const rate = summary.images / summary.seconds;
    log(
      `explain --dataset: ${summary.images} images in ${summary.seconds.toFixed(1)} s on ${backend.name}: ` +
        `${rate.toFixed(2)} images/s, ${(rate * methods.length).toFixed(2)} images x methods/s; results in ${out}`,
    );
    log(`explain --dataset: ${formatThroughput(datasetThroughput(summary.timings, summary.images, summary.seconds))}`);
  } finally {
    model.dispose();
  }
}
