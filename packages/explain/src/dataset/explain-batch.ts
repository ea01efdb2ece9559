import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import type { ExplainFn, MetricContext, MetricEntry, ScoreFn } from '@logitlab/metrics';
import { abortPoint } from '../abort';
import { ExplainInputError } from '../errors';
import { scoreFunction } from '../evaluation';
import { explain, type ExplainOptions } from '../explain';
import { withInputShift } from './input-shift';
import { methodLabel, type MethodSpec } from './method-spec';
import type { DatasetTimings, SampleResult } from './types';

export interface BatchOptions {
  methods: readonly MethodSpec[];
  metrics: MetricEntry[];
  masks?: Float32Array;
  target: 'predicted' | 'label';
  seed: number;
  keepMaps: boolean;
  signal?: AbortSignal;
  /** Seconds are added here, per method and metric. */
  timings: DatasetTimings;
}

export async function explainBatch(model: Module, x: tf.Tensor, y: tf.Tensor, start: number, o: BatchOptions): Promise<SampleResult[]> {
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
    await abortPoint(o.signal);
    const label = methodLabel(spec);
    let t0 = performance.now();
    const base: ExplainOptions = { ...spec.options, method: spec.method, ...(spec.composite ? { composite: spec.composite } : {}) };
    const e = explain(model, x, { ...base, ...(labels && o.target === 'label' ? { target: labels } : {}) });
    const relevance = Float32Array.from(e.relevance.dataSync() as Float32Array);
    e.relevance.dispose();
    o.timings.explain[label]! += (performance.now() - t0) / 1000;
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
      score: tiledScore(model, sampleShape, e.target),
      scoreCopiesPerCall: Math.max(1, Math.floor(IMAGES_PER_SCORE_CALL / count)),
      explain: explainFn,
      explainShifted: (batch, n, targets) => withInputShift(model, -1, () => explainFn(batch, n, targets)),
      ...(masks ? { masks } : {}),
      seed: o.seed,
    };
    const values: [string, Float64Array][] = [];
    for (const m of o.metrics) {
      await abortPoint(o.signal);
      t0 = performance.now();
      values.push([m.name, await m.compute(ctx)]);
      o.timings.metrics[label]![m.name]! += (performance.now() - t0) / 1000;
    }
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

// Metrics score up to this many perturbed images per forward pass: on the native backend a pass of 32
// convnet images cost ~5x more per image than one of 128 (measured at load ~35), and 256 MNIST-sized
// images keep a pass's activations in the tens of MB.
const IMAGES_PER_SCORE_CALL = 256;

/** A score function for n stacked copies of the batch: image j is scored for targets[j mod count]. */
function tiledScore(model: Module, sampleShape: number[], targets: Int32Array): ScoreFn {
  const byCopies = new Map<number, ScoreFn>();
  return (batch, n) => {
    const copies = Math.max(1, Math.round(n / targets.length));
    let f = byCopies.get(copies);
    if (!f) {
      const tiled = new Int32Array(copies * targets.length);
      for (let k = 0; k < copies; k++) tiled.set(targets, k * targets.length);
      f = scoreFunction(model, { sampleShape, target: tiled });
      byCopies.set(copies, f);
    }
    return f(batch, n);
  };
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
