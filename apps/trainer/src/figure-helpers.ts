import { type Row, lineChartSpec, renderChartPng } from './plot/chart';
import type { ExperimentContext } from './context';
import type { StepLoss } from './training';

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
