import * as tf from '@tensorflow/tfjs-core';
import { mixSeed } from '@logitlab/core';
import type { Module } from '@logitlab/layers';
import { type ExplainFn, type MetricContext, type MetricEntry, MissingMasksError, selectMetrics } from '@logitlab/metrics';
import { ExplainInputError, ExplainOptionsError } from '../errors';
import { scoreFunction } from '../evaluation';
import { explain, type ExplainOptions } from '../explain';
import { withInputShift } from './input-shift';
import { methodLabel, type MethodSpec } from './method-spec';
import type { BatchResult, BatchSource, DatasetProgress, SampleResult } from './types';

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
  /** Checked before every batch and method; an aborted run throws the signal's reason and leaves finished batches as they were. */
  signal?: AbortSignal;
}

export interface ExplainDatasetSummary {
  batches: number;
  images: number;
  seconds: number;
  metrics: string[];
  methods: string[];
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
  for (const { x, y } of loader) {
    const start = b * loader.batchSize;
    try {
      if (!selectBatch(b)) continue;
      signal?.throwIfAborted();
      const samples = await explainBatch(model, x, y, start, { ...options, metrics, target, seed: mixSeed(seed, b), keepMaps, signal });
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
  return { batches: ran, images: done, seconds: (performance.now() - t0) / 1000, metrics: metrics.map((m) => m.name), methods: labels };
}

interface BatchOptions {
  methods: readonly MethodSpec[];
  metrics: MetricEntry[];
  masks?: Float32Array;
  target: 'predicted' | 'label';
  seed: number;
  keepMaps: boolean;
  signal?: AbortSignal;
}

async function explainBatch(model: Module, x: tf.Tensor, y: tf.Tensor, start: number, o: BatchOptions): Promise<SampleResult[]> {
  const count = x.shape[0]!;
  const sampleShape = x.shape.slice(1);
  const shape = imageShape(sampleShape);
  const images = x.dataSync() as Float32Array;
  const d = images.length / count;
  const yv = y.dataSync();
  const labels = yv.length === count && y.dtype === 'int32' ? Int32Array.from(yv) : null;
  if (o.target === 'label' && !labels)
    throw new ExplainInputError(`target 'label' needs one class index per image; y has shape [${y.shape.join(', ')}]`);
  const masks = o.masks ? sliceMasks(o.masks, start, count, d) : undefined;
  const out: SampleResult[][] = Array.from({ length: count }, () => []);
  for (const spec of o.methods) {
    o.signal?.throwIfAborted();
    const base: ExplainOptions = { ...spec.options, method: spec.method, ...(spec.composite ? { composite: spec.composite } : {}) };
    const e = explain(model, x, { ...base, ...(labels && o.target === 'label' ? { target: labels } : {}) });
    const relevance = Float32Array.from(e.relevance.dataSync() as Float32Array);
    e.relevance.dispose();
    const explainFn: ExplainFn = (batch, n, targets) => {
      const t = tf.tensor(batch, [n, ...sampleShape]);
      try {
        const r = explain(model, t, { ...base, target: targets });
        const v = Float32Array.from(r.relevance.dataSync() as Float32Array);
        r.relevance.dispose();
        return v;
      } finally {
        t.dispose();
      }
    };
    const ctx: MetricContext = {
      images,
      relevance,
      count,
      shape,
      targets: e.target,
      numClasses: numClasses(model, x),
      score: scoreFunction(model, { sampleShape, target: e.target }),
      explain: explainFn,
      explainShifted: (batch, n, targets) => withInputShift(model, -1, () => explainFn(batch, n, targets)),
      ...(masks ? { masks } : {}),
      seed: o.seed,
    };
    const values: [string, Float64Array][] = [];
    for (const m of o.metrics) values.push([m.name, await m.compute(ctx)]);
    const label = methodLabel(spec);
    for (let i = 0; i < count; i++) {
      let sum = 0;
      let absSum = 0;
      let pos = 0;
      for (let j = i * d; j < (i + 1) * d; j++) {
        const r = relevance[j] as number;
        sum += r;
        absSum += Math.abs(r);
        if (r > 0) pos += r;
      }
      out[i]!.push({
        index: start + i,
        method: label,
        label: labels ? (labels[i] as number) : null,
        target: e.target[i] as number,
        score: e.score[i] as number,
        metrics: Object.fromEntries(values.map(([name, v]) => [name, v[i] as number])),
        relevance: {
          sum,
          absSum,
          positiveShare: absSum > 0 ? pos / absSum : 0,
          conservationRelError: e.conservation.relError[i] as number,
        },
        ...(o.keepMaps ? { map: relevance.slice(i * d, (i + 1) * d) } : {}),
      });
    }
  }
  return out.flat();
}

/** [height, width, channels] of an NHWC sample; a flat sample is one row of pixels. */
function imageShape(sampleShape: number[]): [number, number, number] {
  if (sampleShape.length === 3) return sampleShape as [number, number, number];
  if (sampleShape.length === 2) return [sampleShape[0]!, sampleShape[1]!, 1];
  if (sampleShape.length === 1) return [1, sampleShape[0]!, 1];
  throw new ExplainInputError(`explainDataset needs samples shaped [h, w, c], [h, w] or [features]; got [${sampleShape.join(', ')}]`);
}

function sliceMasks(masks: Float32Array, start: number, count: number, d: number): Float32Array {
  if (masks.length < (start + count) * d) {
    throw new ExplainInputError(
      `masks hold ${masks.length / d} images of ${d} values; the loader's batch needs images ${start}..${start + count - 1}`,
    );
  }
  return masks.subarray(start * d, (start + count) * d);
}

const classCounts = new WeakMap<Module, number>();

/** The model's number of outputs (read once per model from one eval-mode forward pass). */
function numClasses(model: Module, x: tf.Tensor): number {
  const known = classCounts.get(model);
  if (known !== undefined) return known;
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  try {
    const out = tf.tidy(() => model.call(tf.slice(x, 0, 1)) as tf.Tensor);
    const n = out.shape[out.rank - 1]!;
    out.dispose();
    classCounts.set(model, n);
    return n;
  } finally {
    for (const [m, t] of modes) m.training = t;
  }
}
