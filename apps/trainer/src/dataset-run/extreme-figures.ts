import { renderChartPng } from '../plot/chart';
import { type HeatmapPanel, heatmapFigureSpec } from '../plot/heatmap';
import type { DatasetReport } from './aggregate';
import type { CandidateSpec } from './candidates';

/** An image and one method's map of it, as a batch file's candidates keep them. */
export type CandidateLookup = (method: string, index: number) => { image: Float32Array; map: Float32Array };

/** A file name for a method label ('lrp:epsilonPlus' -> 'extremes-lrp-epsilonPlus.png'). */
export const extremesFile = (method: string): string => `extremes-${method.replace(/[^\w-]+/g, '-')}.png`;

const value = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));

/**
 * One PNG per method: its best and worst images by the ranking metric (the report's `extremes`),
 * each with its map over it, labelled with the image index and the metric's value.
 */
export async function extremeFigures(r: DatasetReport, spec: CandidateSpec, lookup: CandidateLookup): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const [height, width] = spec.shape;
  for (const method of r.methods) {
    const panels: HeatmapPanel[] = [];
    for (const [kind, list] of [
      ['best', r.extremes.best[method] ?? []],
      ['worst', r.extremes.worst[method] ?? []],
    ] as const) {
      list.forEach((e, rank) => {
        const { image, map } = lookup(method, e.index);
        panels.push({ row: `${kind} ${rank + 1}: #${e.index} (${value(e.value)})`, column: method, image, relevance: map });
      });
    }
    if (panels.length === 0) continue;
    const title = `${method}: best and worst images by ${spec.rankedBy} (${spec.higherIsBetter ? 'higher' : 'lower'} is better)`;
    out.set(method, await renderChartPng(heatmapFigureSpec({ title, height, width, panels, range: [0, 1] })));
  }
  return out;
}
