import { describe, expect, it } from 'vitest';
import { decodePng } from './image';
import { renderChartPng } from './chart';
import { heatmapFigureSpec } from './heatmap';

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
    const data = (spec as { data: { values: { r: number }[] } }).data.values;
    expect(Math.max(...data.map((d) => d.r))).toBeCloseTo(7 / 8);
    expect(Math.min(...data.map((d) => d.r))).toBe(-1);
  });
});
