import { DataLoader } from '@logitlab/datasets';
import { type MethodSpec, explainDataset, methodLabel } from '@logitlab/explain';
import type { Module } from '@logitlab/layers';
import { explanationMetrics, selectMetrics } from '@logitlab/metrics';
import { fmt } from '../report';

/** One method's mean score per metric over the images (NaN values left out, as the dataset runner's means). */
export interface MethodRow {
  method: string;
  means: Record<string, number>;
}

export interface MethodTable {
  metrics: string[];
  rows: MethodRow[];
  /** Each method's maps, [count, ...sampleShape] row-major, for figures. */
  maps: Record<string, Float32Array>;
}

export interface MethodTableOptions {
  methods: readonly MethodSpec[];
  /** Metric and family names from @logitlab/metrics' registry, or 'all'. */
  metrics: 'all' | readonly string[];
  /** Ground truth for the localisation metrics, shaped like x. */
  masks?: Float32Array;
  /** Class index per image to explain (its label); default the predicted class. */
  labels?: Int32Array;
  seed: number;
  batchSize?: number;
}

/**
 * The method x metric table of a batch of images (explainDataset over them, scored by the metric families
 * of @logitlab/metrics), as the experiments report it.
 */
export async function methodTable(model: Module, x: Float32Array, sampleShape: number[], o: MethodTableOptions): Promise<MethodTable> {
  const per = sampleShape.reduce((a, b) => a * b, 1);
  const count = x.length / per;
  const y = o.labels ?? new Int32Array(count);
  const loader = new DataLoader({ x, xShape: sampleShape, y, yShape: [] }, { batchSize: o.batchSize ?? 100 });
  const labels = o.methods.map(methodLabel);
  const metrics = selectMetrics(o.metrics).map((m) => m.name);
  const sums = new Map(labels.map((l) => [l, new Map(metrics.map((m) => [m, { sum: 0, n: 0 }]))]));
  const maps = Object.fromEntries(labels.map((l) => [l, new Float32Array(x.length)]));
  await explainDataset(model, loader, {
    methods: o.methods,
    metrics: o.metrics,
    ...(o.masks ? { masks: o.masks } : {}),
    target: o.labels ? 'label' : 'predicted',
    seed: o.seed,
    keepMaps: true,
    sink: ({ samples }) => {
      for (const s of samples) {
        maps[s.method]!.set(s.map!, s.index * per);
        for (const [m, v] of Object.entries(s.metrics)) {
          if (!Number.isFinite(v)) continue;
          const acc = sums.get(s.method)!.get(m)!;
          acc.sum += v;
          acc.n++;
        }
      }
    },
  });
  return {
    metrics,
    rows: labels.map((method) => ({
      method,
      means: Object.fromEntries(metrics.map((m) => [m, ((a) => (a.n ? a.sum / a.n : NaN))(sums.get(method)!.get(m)!)])),
    })),
    maps,
  };
}

const higherIsBetter = (metric: string) => explanationMetrics.find((m) => m.name === metric)?.higherIsBetter ?? true;

/** Headers and rows for Report.table: a column per metric, marked (higher) or (lower) is better. */
export function tableCells(t: MethodTable, names: Record<string, string> = {}): [string[], unknown[][]] {
  return [
    ['method', ...t.metrics.map((m) => `${m} (${higherIsBetter(m) ? 'higher' : 'lower'} is better)`)],
    t.rows.map((r) => [names[r.method] ?? r.method, ...t.metrics.map((m) => r.means[m])]),
  ];
}

/** "pixelFlipping: Deep Taylor (0.95); pointingGame: integrated gradients (0.91); ...": the best method per metric, from the numbers. */
export function bestPerMetric(t: MethodTable, names: Record<string, string> = {}): string {
  return t.metrics
    .map((m) => {
      const sign = higherIsBetter(m) ? 1 : -1;
      const scored = t.rows.filter((r) => Number.isFinite(r.means[m]));
      if (scored.length === 0) return `${m}: undefined for every method`;
      const best = scored.reduce((a, b) => (sign * b.means[m]! > sign * a.means[m]! ? b : a));
      return `${m}: ${names[best.method] ?? best.method} (${fmt(best.means[m], 3)})`;
    })
    .join('; ');
}
