import { describe, expect, it } from 'vitest';
import { decodePng } from './image';
import { renderChartPng, renderChartSvg } from './chart';
import { heatmapFigureSpec } from './heatmap';
import { dejaVuWidth } from './text-width';

type Data = { values: { r: number; edge: boolean; x: number; y: number; column: string }[] };

describe('heatmap figure', () => {
  it('renders panels with titles and a colour bar to a PNG', async () => {
    const image = Float32Array.from({ length: 16 }, (_, i) => i / 15);
    const relevance = Float32Array.from({ length: 16 }, (_, i) => i - 8);
    const spec = heatmapFigureSpec({
      title: 't',
      height: 4,
      width: 4,
      range: [0, 1],
      panels: [
        { row: 'a', column: 'lrp', image, relevance },
        { row: 'a', column: 'gradient', image, relevance },
      ],
    });
    const png = decodePng(await renderChartPng(spec));
    // two 16 px panels side by side, plus titles and the legend
    expect(png.width).toBeGreaterThan(2 * 2 * 16);
    const data = (spec as { data: Data }).data.values;
    expect(Math.max(...data.map((d) => d.r))).toBeCloseTo(7 / 8);
    expect(Math.min(...data.map((d) => d.r))).toBe(-1);
  });

  it('outlines the strokes on the background pixels around them and keeps the panels in their given order', () => {
    // one bright pixel in the middle of a dark 3x3 image: its four neighbours are the outline
    const image = Float32Array.from({ length: 9 }, (_, i) => (i === 4 ? 1 : 0));
    const relevance = new Float32Array(9).fill(1);
    const spec = heatmapFigureSpec({
      title: 't',
      height: 3,
      width: 3,
      range: [0, 1],
      panels: [
        { row: 'a', column: 'z-method', image, relevance },
        { row: 'a', column: 'a-method', image, relevance },
      ],
    });
    const data = (spec as { data: Data }).data.values.filter((d) => d.column === 'z-method');
    expect(data.filter((d) => d.edge).map((d) => `${d.x},${d.y}`)).toEqual(['1,0', '0,1', '2,1', '1,2']);
    expect((spec as { facet: { column: { sort: string[] } } }).facet.column.sort).toEqual(['z-method', 'a-method']);
  });

  it('puts each row label right beside its images (issue 23 item 8: no empty band between)', async () => {
    const label = '#0: digits 3 7, f(x) 97.2';
    const spec = heatmapFigureSpec({
      title: 't',
      height: 2,
      width: 2,
      range: [0, 1],
      panels: [{ row: label, column: 'c', image: new Float32Array(4), relevance: new Float32Array(4) }],
    });
    const svg = await renderChartSvg(spec);
    // the row header's title group: translate(x, y) relative to the first image's left edge at 0
    const header = svg.slice(svg.indexOf('row_header'));
    const x = Number(/translate\((-?[\d.]+),/.exec(header.slice(header.indexOf('role-title')))![1]);
    const width = dejaVuWidth(label, 10);
    // left-aligned at x, the label ends within the header's padding of the images
    expect(x + width).toBeLessThanOrEqual(0);
    expect(x + width).toBeGreaterThan(-20);
  });
});

describe('dejaVuWidth', () => {
  it('measures text about as DejaVu Sans draws it, narrower than vega’s 0.8 em guess', () => {
    expect(dejaVuWidth('0123456789', 10)).toBeCloseTo(63.6);
    expect(dejaVuWidth('iiii', 10)).toBeLessThan(dejaVuWidth('mmmm', 10));
    expect(dejaVuWidth('abc', 10, true)).toBeGreaterThan(dejaVuWidth('abc', 10));
    expect(dejaVuWidth('#0: digits 3 7, f(x) 97.2', 10)).toBeLessThan(0.8 * 25 * 10 * 0.75);
  });
});
