import type { DatasetTimings } from '@logitlab/explain';
import { explanationMetrics } from '@logitlab/metrics';

/** images x methods per second of a dataset run, overall and for each part of the work. */
export interface DatasetThroughput {
  /** The whole run. */
  total: number;
  /** Per method: its images over its own explanation plus every metric scored on its maps. */
  perMethod: Record<string, number>;
  /** 'explain' (the maps themselves) and each metric family: images x methods over that part's seconds alone. */
  perPart: Record<string, number>;
}

/**
 * Rates from `explainDataset`'s timings. A part's rate is what the run would reach if that part were
 * all it did, so the slowest parts are the smallest numbers (1 / total = sum of 1 / part).
 */
export function datasetThroughput(timings: DatasetTimings, images: number, seconds: number): DatasetThroughput {
  const familyOf = new Map(explanationMetrics.map((m) => [m.name, m.family] as const));
  const methods = Object.keys(timings.explain);
  const partSeconds: Record<string, number> = { explain: 0 };
  const perMethod: Record<string, number> = {};
  for (const method of methods) {
    let s = timings.explain[method] ?? 0;
    partSeconds.explain! += s;
    for (const [metric, t] of Object.entries(timings.metrics[method] ?? {})) {
      const family = familyOf.get(metric) ?? metric;
      partSeconds[family] = (partSeconds[family] ?? 0) + t;
      s += t;
    }
    perMethod[method] = images / s;
  }
  const perPart = Object.fromEntries(Object.entries(partSeconds).map(([part, s]) => [part, (images * methods.length) / s]));
  return { total: (images * methods.length) / seconds, perMethod, perPart };
}

/** One log line: "explain 12.3, faithfulness 4.5, ... images x methods/s". */
export function formatThroughput(t: Pick<DatasetThroughput, 'perMethod' | 'perPart'>): string {
  const parts = Object.entries(t.perPart).map(([p, r]) => `${p} ${r.toFixed(2)}`);
  const methods = Object.entries(t.perMethod).map(([m, r]) => `${m} ${r.toFixed(2)}`);
  return `per part (images x methods/s if it ran alone): ${parts.join(', ')}; per method (images/s): ${methods.join(', ')}`;
}
