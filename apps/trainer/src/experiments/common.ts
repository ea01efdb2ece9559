import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { type Row, lineChartSpec, renderChartPng } from '../plot/chart';
import type { StepLoss } from '../training';
import type { ExperimentContext } from './types';

/**
 * Runs `model` in eval mode over `x` ([count, ...sampleShape], row-major) in batches and returns the
 * outputs concatenated row-major. `map` can turn each output batch into what the caller keeps
 * (e.g. argmax), inside the same tidy.
 */
export async function predict(
  model: Module,
  x: Float32Array,
  sampleShape: number[],
  { batchSize = 256, map }: { batchSize?: number; map?: (out: tf.Tensor) => tf.Tensor } = {},
): Promise<Float32Array> {
  const per = sampleShape.reduce((a, b) => a * b, 1);
  const count = x.length / per;
  const chunks: Float32Array[] = [];
  model.eval();
  for (let i = 0; i < count; i += batchSize) {
    const n = Math.min(batchSize, count - i);
    const out = tf.tidy(() => {
      const batch = tf.tensor(x.subarray(i * per, (i + n) * per), [n, ...sampleShape]);
      const y = model.call(batch);
      return tf.cast(map ? map(y) : y, 'float32');
    });
    chunks.push((await out.data()) as Float32Array);
    out.dispose();
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const result = new Float32Array(total);
  let off = 0;
  for (const c of chunks) {
    result.set(c, off);
    off += c.length;
  }
  return result;
}

/** Argmax over the last axis of each output row. */
export const argmaxLast = (out: tf.Tensor): tf.Tensor => tf.argMax(out, -1);

export function accuracyOf(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
  return labels.length ? ok / labels.length : NaN;
}

/** Loss curves of several trained models as one PNG (series = tag). */
export async function writeLossCurves(
  ctx: ExperimentContext,
  file: string,
  steps: StepLoss[],
  { title, logY = false, seriesName = 'model', panels = false }: { title: string; logY?: boolean; seriesName?: string; panels?: boolean },
): Promise<string> {
  const rows: Row[] = steps.map((s) => ({ step: s.step, loss: s.loss, [seriesName]: s.tag }));
  const png = await renderChartPng(
    lineChartSpec({
      title,
      rows,
      x: 'step',
      y: 'loss',
      series: seriesName,
      xTitle: 'training step',
      yTitle: 'training loss',
      logY,
      panels,
    }),
  );
  ctx.run.writeFile(file, png);
  return file;
}

/** Picks `n` indices evenly from [0, count) (deterministic figure content). */
export function spread(count: number, n: number): number[] {
  const k = Math.min(n, count);
  return Array.from({ length: k }, (_, i) => Math.floor((i * count) / k));
}

/** Copies rows `idx` of a row-major array with `per` values per row. */
export function pickRows(data: ArrayLike<number>, per: number, idx: number[]): Float32Array {
  const out = new Float32Array(idx.length * per);
  idx.forEach((r, i) => {
    for (let j = 0; j < per; j++) out[i * per + j] = data[r * per + j] ?? 0;
  });
  return out;
}
