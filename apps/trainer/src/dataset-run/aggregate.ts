import { explanationMetrics, type MetricFamily } from '@logitlab/metrics';
import type { SampleResult } from '@logitlab/explain';
import { EXTREMES_K, extremes, type Ranked, rankingMetric } from './candidates';

/** Mean of one metric for one method over the images where it is defined, with a normal 95% interval. */
export interface Cell {
  mean: number;
  /** Half-width of the 95% confidence interval of the mean: 1.96 s / sqrt(n). */
  ci95: number;
  /** Images with a finite value. */
  n: number;
}

export type Extreme = Ranked;

export interface DatasetReport {
  methods: string[];
  metrics: { name: string; family: MetricFamily; higherIsBetter: boolean }[];
  images: number;
  /** table[method][metric] */
  table: Record<string, Record<string, Cell>>;
  /** Per method, the images scoring best and worst on `rankedBy` (EXTREMES_K each; ties by image index). */
  extremes: { rankedBy: string | null; best: Record<string, Extreme[]>; worst: Record<string, Extreme[]> };
  findings: string[];
}

function cell(values: number[]): Cell {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { mean: NaN, ci95: NaN, n };
  // pairwise-free two-pass sums, in image order: the same numbers whatever the sharding was
  const mean = v.reduce((s, x) => s + x, 0) / n;
  const variance = n > 1 ? v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, ci95: (1.96 * Math.sqrt(variance)) / Math.sqrt(n), n };
}

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(3)) : 'n/a');

/**
 * The report of a dataset run from its per-sample results in image order: the method x metric table,
 * the best and worst images per method, and findings whose every sentence is computed from the table.
 */
export function aggregate(samples: readonly SampleResult[], methods: readonly string[], metricNames: readonly string[]): DatasetReport {
  const metrics = metricNames.map((name) => {
    const e = explanationMetrics.find((m) => m.name === name);
    if (!e) throw new Error(`unknown metric '${name}' in the results`);
    return { name, family: e.family, higherIsBetter: e.higherIsBetter };
  });
  const byMethod = new Map(methods.map((m) => [m, samples.filter((s) => s.method === m)]));
  const table: DatasetReport['table'] = {};
  for (const [method, rows] of byMethod) {
    table[method] = Object.fromEntries(metrics.map((m) => [m.name, cell(rows.map((r) => r.metrics[m.name] as number))]));
  }
  const ranked = rankingMetric(metricNames);
  const best: Record<string, Extreme[]> = {};
  const worst: Record<string, Extreme[]> = {};
  if (ranked) {
    for (const [method, rows] of byMethod) {
      const e = extremes(
        rows.map((r) => ({ index: r.index, value: r.metrics[ranked.name] as number })),
        EXTREMES_K,
        ranked.higherIsBetter,
      );
      best[method] = e.best;
      worst[method] = e.worst;
    }
  }
  return {
    methods: [...methods],
    metrics,
    images: new Set(samples.map((s) => s.index)).size,
    table,
    extremes: { rankedBy: ranked?.name ?? null, best, worst },
    findings: findings(table, methods, metrics),
  };
}

function findings(table: DatasetReport['table'], methods: readonly string[], metrics: DatasetReport['metrics']): string[] {
  if (methods.length < 2) return [];
  const out: string[] = [];
  const wins = new Map<string, number>(methods.map((m) => [m, 0]));
  for (const m of metrics) {
    const sign = m.higherIsBetter ? 1 : -1;
    const order = methods
      .filter((x) => Number.isFinite(table[x]![m.name]!.mean))
      // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh filtered copy
      .sort((a, b) => sign * (table[b]![m.name]!.mean - table[a]![m.name]!.mean) || a.localeCompare(b));
    if (order.length < 2) continue;
    const [first, second] = [order[0]!, order[1]!];
    const a = table[first]![m.name]!;
    const b = table[second]![m.name]!;
    const apart = Math.abs(a.mean - b.mean) > a.ci95 + b.ci95;
    wins.set(first, wins.get(first)! + 1);
    out.push(
      `${m.family} / ${m.name} (${m.higherIsBetter ? 'higher' : 'lower'} is better): ${first} leads with ${fmt(a.mean)} ± ${fmt(a.ci95)} over ${second} with ${fmt(b.mean)} ± ${fmt(b.ci95)}; ` +
        (apart ? 'the 95% intervals do not overlap.' : 'the 95% intervals overlap, so the data do not separate them.'),
    );
  }
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy
  const leader = [...wins.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0];
  if (leader && leader[1] > 0) out.unshift(`${leader[0]} leads on ${leader[1]} of ${out.length} metrics.`);
  return out;
}
