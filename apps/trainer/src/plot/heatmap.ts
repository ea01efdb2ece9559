import type { Row, VegaLiteSpec } from './chart';

/** One panel of a heatmap figure: an input image with a relevance map drawn over it. */
export interface HeatmapPanel {
  /** Row label (the image: e.g. "#3: label 7, target 7"). */
  row: string;
  /** Column label (the method). */
  column: string;
  /** height * width input values and relevance values. */
  image: ArrayLike<number>;
  relevance: ArrayLike<number>;
}

export interface HeatmapFigureOptions {
  title: string;
  height: number;
  width: number;
  panels: HeatmapPanel[];
  /** Input value range drawn black to white. */
  range: readonly [number, number];
  /** Screen pixels per image pixel. */
  pixel?: number;
}

/**
 * Relevance over the input, one panel per (image, method), as a faceted vega-lite figure: the input in
 * grey, the relevance on top in red (positive) and blue (negative), each map scaled by its own
 * max |R| and more opaque where |R| is larger, with row / column titles and a colour bar.
 */
export function heatmapFigureSpec({ title, height, width, panels, range, pixel = 4 }: HeatmapFigureOptions): VegaLiteSpec {
  const rows: Row[] = [];
  for (const p of panels) {
    let max = 0;
    for (let i = 0; i < height * width; i++) max = Math.max(max, Math.abs(p.relevance[i] ?? 0));
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const v = Math.min(1, Math.max(0, ((p.image[i] ?? 0) - range[0]) / (range[1] - range[0])));
        const r = max > 0 ? (p.relevance[i] ?? 0) / max : 0;
        rows.push({ row: p.row, column: p.column, x, y, grey: v, r, a: Math.abs(r) });
      }
    }
  }
  const axis = { type: 'ordinal' as const, axis: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    title,
    data: { values: rows },
    facet: {
      row: { field: 'row', type: 'nominal', title: null, sort: null, header: { labelAngle: 0, labelAlign: 'right' } },
      column: { field: 'column', type: 'nominal', title: null, sort: null },
    },
    spec: {
      width: width * pixel,
      height: height * pixel,
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            x: { field: 'x', ...axis },
            y: { field: 'y', ...axis },
            // the fill channel has its own scale, so the relevance colour bar is one legend for the whole figure
            fill: { field: 'grey', type: 'quantitative', scale: { domain: [0, 1], range: ['black', 'white'] }, legend: null },
          },
        },
        {
          mark: { type: 'rect' },
          encoding: {
            x: { field: 'x', ...axis },
            y: { field: 'y', ...axis },
            color: { field: 'r', type: 'quantitative', scale: { domain: [-1, 1], scheme: 'redblue', reverse: true }, title: 'R / max|R|' },
            opacity: { field: 'a', type: 'quantitative', scale: { domain: [0, 1], range: [0, 1] }, legend: null },
          },
        },
      ],
    },
  } as VegaLiteSpec;
}
