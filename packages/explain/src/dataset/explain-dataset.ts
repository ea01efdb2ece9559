import * as tf from '@tensorflow/tfjs-core';
import { mixSeed } from '@logitlab/core';
import type { Module } from '@logitlab/layers';
import { MissingMasksError, selectMetrics } from '@logitlab/metrics';
import { abortPoint } from '../abort';
import { ExplainOptionsError } from '../errors';
import { explainBatch } from './explain-batch';
import { methodLabel, type MethodSpec } from './method-spec';
import type { BatchResult, BatchSource, DatasetProgress, DatasetTimings } from './types';

export interface ExplainDatasetOptions {
  methods: readonly MethodSpec[];
  /** Family names and metric names from @logitlab/metrics' registry, or 'all'. Default: none (maps' statistics only). */
  metrics?: 'all' | readonly string[];
  /** Ground-truth masks for localisation, shaped like the images, in the loader's order. */
  masks?: Float32Array;
  /** Explain the predicted class (default) or the label. */
  target?: 'predicted' | 'label';
  /** The run's seed: batch b's metric noise comes from mixSeed(seed, b), so a batch's results do not depend on which other batches ran. Default 0. */
  seed?: number;
  /** Runs only the batches this returns true for (a shard, or those not finished before a resume). Default: all. */
  selectBatch?: (batch: number) => boolean;
  /** Receives each batch's results before the next batch starts (write them, aggregate them). */
  sink: (result: BatchResult) => void | Promise<void>;
  /** Keep each map in its SampleResult (costs a map per image and method in the sink's hands). */
  keepMaps?: boolean;
  onProgress?: (progress: DatasetProgress) => void;
  /**
   * Checked before every batch, method and metric, after letting the event loop run (so a signal
   * handler or a button can abort it mid-run): an aborted run throws the signal's reason, drops the
   * batch in progress before `sink` sees it, and leaves finished batches as they were.
   */
  signal?: AbortSignal;
}

export interface ExplainDatasetSummary {
  batches: number;
  images: number;
  seconds: number;
  metrics: string[];
  methods: string[];
  /** Where the time went: seconds per method's own explanation and per (method, metric), summed over batches. */
  timings: DatasetTimings;
}

/**
 * Explains every image of a loader with each method and scores the maps with the chosen metric
 * families (@logitlab/metrics' `explanationMetrics`), one batch at a time: the tensors of a batch are
 * disposed before the next, so memory is bounded by the batch, and results go to `sink` as they come.
 * Metrics that need the model get it as callbacks (a score function, the same method as an explainer,
 * and for input invariance the model with its first bias absorbing an input shift of -1).
 */
export async function explainDataset(model: Module, loader: BatchSource, options: ExplainDatasetOptions): Promise<ExplainDatasetSummary> {
  const { methods, target = 'predicted', seed = 0, selectBatch = () => true, sink, keepMaps = false, onProgress, signal } = options;
  if (!Array.isArray(methods) || methods.length === 0) throw new ExplainOptionsError('explainDataset needs at least one method spec');
  if (target !== 'predicted' && target !== 'label')
    throw new ExplainOptionsError(`target must be 'predicted' or 'label'; got '${String(target)}'`);
  const metrics = options.metrics === undefined ? [] : selectMetrics(options.metrics);
  const labels = methods.map(methodLabel);
  if (new Set(labels).size !== labels.length) throw new ExplainOptionsError(`method specs repeat: ${labels.join(', ')}`);
  const needsMasks = metrics.filter((m) => m.needs.includes('masks'));
  if (needsMasks.length > 0 && !options.masks) {
    throw new MissingMasksError(
      `${needsMasks.map((m) => m.name).join(', ')} need ground-truth masks, and this dataset has none; drop the localisation family or give masks`,
    );
  }
  const batches = Math.ceil(loader.count / loader.batchSize);
  let total = 0;
  for (let b = 0; b < batches; b++) if (selectBatch(b)) total += Math.min(loader.batchSize, loader.count - b * loader.batchSize);
  const t0 = performance.now();
  let done = 0;
  let ran = 0;
  let b = 0;
  const timings: DatasetTimings = {
    explain: Object.fromEntries(labels.map((l) => [l, 0])),
    metrics: Object.fromEntries(labels.map((l) => [l, Object.fromEntries(metrics.map((m) => [m.name, 0]))])),
  };
  for (const { x, y } of loader) {
    const start = b * loader.batchSize;
    try {
      if (!selectBatch(b)) continue;
      await abortPoint(signal);
      const samples = await explainBatch(model, x, y, start, {
        ...options,
        metrics,
        target,
        seed: mixSeed(seed, b),
        keepMaps,
        signal,
        timings,
      });
      await sink({ batch: b, start, count: x.shape[0]!, samples });
      done += x.shape[0]!;
      ran++;
      const seconds = (performance.now() - t0) / 1000;
      const rate = done / Math.max(seconds, 1e-9);
      onProgress?.({ done, total, imagesPerSecond: rate, etaSeconds: (total - done) / rate });
    } finally {
      b++;
      tf.dispose([x, y]);
    }
  }
  return {
    batches: ran,
    images: done,
    seconds: (performance.now() - t0) / 1000,
    metrics: metrics.map((m) => m.name),
    methods: labels,
    timings,
  };
}
