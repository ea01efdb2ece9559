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
 * Relevance over the input, one panel per (image, method), as a faceted vega-lite figure: the relevance in
 * red (positive) and blue (negative) on white, each map scaled by its own max |R| and more opaque where |R|
 * is larger, with the input's bright strokes as a faint grey outline on top (the background pixels that
 * touch a stroke), so relevance on the strokes themselves stays visible; row / column titles and a colour bar.
 */
export function heatmapFigureSpec({ title, height, width, panels, range, pixel = 4 }: HeatmapFigureOptions): VegaLiteSpec {
  const rows: Row[] = [];
  for (const p of panels) {
    let max = 0;
    for (let i = 0; i < height * width; i++) max = Math.max(max, Math.abs(p.relevance[i] ?? 0));
    const stroke = (y: number, x: number) =>
      y >= 0 && y < height && x >= 0 && x < width && ((p.image[y * width + x] ?? 0) - range[0]) / (range[1] - range[0]) > 0.5;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const r = max > 0 ? (p.relevance[y * width + x] ?? 0) / max : 0;
        const edge = !stroke(y, x) && (stroke(y - 1, x) || stroke(y + 1, x) || stroke(y, x - 1) || stroke(y, x + 1));
        rows.push({ row: p.row, column: p.column, x, y, r, a: Math.abs(r), edge });
      }
    }
  }
  const axis = { type: 'ordinal' as const, axis: null };
  // facets in the panels' order, not alphabetical
  const order = (key: 'row' | 'column') => [...new Set(panels.map((p) => p[key]))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    title,
    data: { values: rows },
    facet: {
      // left-aligned at the header's left edge, which (with vega measuring DejaVu Sans, see text-width.ts) ends at the images
      row: { field: 'row', type: 'nominal', title: null, sort: order('row'), header: { labelAngle: 0, labelAlign: 'left' } },
      column: { field: 'column', type: 'nominal', title: null, sort: order('column') },
    },
    spec: {
      width: width * pixel,
      height: height * pixel,
      encoding: { x: { field: 'x', ...axis }, y: { field: 'y', ...axis } },
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            color: { field: 'r', type: 'quantitative', scale: { domain: [-1, 1], scheme: 'redblue', reverse: true }, title: 'R / max|R|' },
            opacity: { field: 'a', type: 'quantitative', scale: { domain: [0, 1], range: [0, 1] }, legend: null },
          },
        },
        {
          transform: [{ filter: 'datum.edge' }],
          mark: { type: 'rect', color: '#555', opacity: 0.3 },
        },
      ],
    },
  } as VegaLiteSpec;
}
