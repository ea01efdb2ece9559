import { Report } from '../report';
import type { DatasetReport } from './aggregate';

const num = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');

/**
 * The markdown of a merged dataset report; figures are referenced by file name when given. `heatmaps`
 * names each method's best / worst heatmap figure, or says why there are none.
 */
export function reportMarkdown(
  r: DatasetReport,
  about: string,
  figures: Record<string, string>,
  heatmaps: Record<string, string> | string = {},
): string {
  const report = new Report('Explanations at dataset scale').paragraph(about);
  report.heading('Method x metric (mean ± 95% CI, n images)');
  report.table(
    ['method', ...r.metrics.map((m) => `${m.name} (${m.family}, ${m.higherIsBetter ? '↑' : '↓'})`)],
    r.methods.map((method) => [
      method,
      ...r.metrics.map((m) => {
        const c = r.table[method]![m.name]!;
        return `${num(c.mean)} ± ${num(c.ci95)} (${c.n})`;
      }),
    ]),
  );
  for (const [family, file] of Object.entries(figures)) report.image(file, `${family} metrics per method`);
  if (r.extremes.rankedBy) {
    report.heading(`Best and worst images per method (by ${r.extremes.rankedBy})`);
    report.table(
      ['method', 'best (image: value)', 'worst (image: value)'],
      r.methods.map((m) => [
        m,
        (r.extremes.best[m] ?? []).map((e) => `#${e.index}: ${num(e.value)}`).join(', '),
        (r.extremes.worst[m] ?? []).map((e) => `#${e.index}: ${num(e.value)}`).join(', '),
      ]),
    );
    if (typeof heatmaps === 'string') report.paragraph(`(${heatmaps}.)`);
    else for (const [method, file] of Object.entries(heatmaps)) report.image(file, `${method}: best and worst images with their maps`);
  }
  if (r.findings.length > 0) report.heading('Findings').bullets(r.findings);
  return report.toString();
}
