import type { MetricFamily } from '@logitlab/metrics';
import { renderChartPng, type VegaLiteSpec } from '../plot/chart';
import type { DatasetReport } from './aggregate';

/** One PNG per metric family: each metric's mean per method as a bar, with its 95% interval. */
export async function familyFigures(r: DatasetReport): Promise<Map<MetricFamily, Uint8Array>> {
  const out = new Map<MetricFamily, Uint8Array>();
  const families = [...new Set(r.metrics.map((m) => m.family))];
  for (const family of families) {
    const rows = r.metrics
      .filter((m) => m.family === family)
      .flatMap((m) =>
        r.methods.map((method) => {
          const c = r.table[method]![m.name]!;
          return { metric: m.name, method, mean: c.mean, lo: c.mean - c.ci95, hi: c.mean + c.ci95 };
        }),
      )
      .filter((row) => Number.isFinite(row.mean) && Number.isFinite(row.lo));
    if (rows.length === 0) continue;
    const spec: VegaLiteSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: `${family}: mean per image with 95% interval`,
      data: { values: rows },
      facet: { column: { field: 'metric', type: 'nominal', title: null } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 160,
        height: 160,
        layer: [
          {
            mark: 'bar',
            encoding: {
              x: { field: 'method', type: 'nominal', title: null },
              y: { field: 'mean', type: 'quantitative', title: null },
              color: { field: 'method', type: 'nominal', legend: null },
            },
          },
          {
            mark: { type: 'rule', color: 'black' },
            encoding: { x: { field: 'method', type: 'nominal' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
          },
        ],
      },
    };
    out.set(family, await renderChartPng(spec));
  }
  return out;
}
