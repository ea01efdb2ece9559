import { describe, expect, it } from 'vitest';
import { barChartSpec, lineChartSpec, renderChartPng, renderChartSvg, scatterSpec } from './chart';
import { decodePng } from './image';

function darkPixels(rgba: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i]! < 100 && rgba[i + 1]! < 100 && rgba[i + 2]! < 100) n++;
  return n;
}

describe('charts (vega-lite -> SVG -> resvg PNG)', () => {
  it('renders a line chart with text, dropping non-finite points', async () => {
    const rows = [
      { step: 1, loss: 2.3, head: 'a' },
      { step: 2, loss: NaN, head: 'a' },
      { step: 3, loss: 0.5, head: 'a' },
      { step: 1, loss: Infinity, head: 'b' },
    ];
    const spec = lineChartSpec({ title: 'Loss curves', rows, x: 'step', y: 'loss', series: 'head' });
    expect((spec.data as { values: unknown[] }).values).toHaveLength(2);
    const svg = await renderChartSvg(spec);
    expect(svg).toContain('Loss curves');
    const png = await renderChartPng(spec, { scale: 1 });
    const { width, height, rgba } = decodePng(png);
    expect(width).toBeGreaterThan(400);
    expect(height).toBeGreaterThan(200);
    // axis lines, tick labels and the title draw dark pixels; with no fonts the text would be missing
    expect(darkPixels(rgba)).toBeGreaterThan(500);
  });

  it('builds scatter and bar specs that render', async () => {
    const scatter = scatterSpec({
      title: 'latent',
      rows: [
        { x: 0, y: 1, digit: '3' },
        { x: 1, y: 0, digit: '4' },
      ],
      x: 'x',
      y: 'y',
      color: 'digit',
    });
    const bars = barChartSpec({
      title: 'acc',
      rows: [
        { head: 'a', accuracy: 0.9 },
        { head: 'b', accuracy: 0.1 },
      ],
      category: 'head',
      value: 'accuracy',
    });
    for (const spec of [scatter, bars]) expect(decodePng(await renderChartPng(spec, { scale: 1 })).width).toBeGreaterThan(100);
  });

  it('keeps one colour per series across figures and marks non-finite points instead of dropping them', () => {
    const seriesColors = { a: '#ff0000', b: '#00ff00' };
    const rows = [
      { x: 1, y: 2, s: 'b' },
      { x: 2, y: NaN, s: 'b' },
    ];
    const spec = lineChartSpec({ title: 't', rows, x: 'x', y: 'y', series: 's', seriesColors, markNonFinite: true }) as unknown as {
      layer: { data: { values: Record<string, unknown>[] }; encoding: { color: { scale?: { domain: string[]; range: string[] } } } }[];
    };
    expect(spec.layer[0]!.encoding.color.scale).toEqual({ domain: ['a', 'b'], range: ['#ff0000', '#00ff00'] });
    expect(spec.layer[1]!.data.values).toEqual([{ x: 2, y: null, s: 'b', label: 'NaN' }]);
  });
});

function angle(labels: string[]): number {
  const spec = barChartSpec({
    title: 'acc',
    rows: labels.map((head) => ({ head, accuracy: 0.5 })),
    category: 'head',
    value: 'accuracy',
  }) as unknown as { encoding: { x: { axis: { labelAngle: number } } } };
  return spec.encoding.x.axis.labelAngle;
}

describe('chart layout', () => {
  it('gives different quantities their own panel and y axis', async () => {
    const rows = [
      { step: 0, loss: 0.7, head: 'bce' },
      { step: 1, loss: 0.2, head: 'bce' },
      { step: 0, loss: 2.3, head: 'softmax' },
      { step: 1, loss: 1.9, head: 'softmax' },
    ];
    const spec = lineChartSpec({ title: 'two losses', rows, x: 'step', y: 'loss', series: 'head', panels: true }) as unknown as Record<
      string,
      unknown
    >;
    expect(spec.facet).toMatchObject({ row: { field: 'head' } });
    expect(spec.resolve).toEqual({ scale: { y: 'independent' } });
    expect(decodePng(await renderChartPng(spec as never, { scale: 1 })).height).toBeGreaterThan(250);
  });

  it('tilts bar labels that would overlap side by side', () => {
    expect(angle(['logSoftmax+nllLoss', 'sigmoid+nllLoss', 'softmax+nllLoss', 'logits+crossEntropy'])).toBe(-30);
    expect(angle(['a', 'b'])).toBe(0);
  });
});

describe('non-finite markers', () => {
  it('compile without vega-lite warnings and keep the one series legend', async () => {
    const vl = await import('vega-lite');
    const rows = [1, 2, 3].flatMap((s) => ['a', 'b'].map((m) => ({ scale: s, loss: s === 3 && m === 'b' ? NaN : s, method: m })));
    const spec = lineChartSpec({ title: 't', rows, x: 'scale', y: 'loss', series: 'method', markNonFinite: true });
    const warnings: unknown[][] = [];
    const logger = {
      level: () => logger,
      info: () => logger,
      debug: () => logger,
      error: () => logger,
      warn: (...a: unknown[]) => {
        warnings.push(a);
        return logger;
      },
    };
    const { spec: vega } = vl.compile(spec as never, { logger: logger as never });
    expect(warnings).toEqual([]); // was 'Conflicting legend property "disable"' twice per chart
    expect((vega.legends ?? []).length).toBeGreaterThan(0);
  });
});
