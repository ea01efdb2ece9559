import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { useDejaVuMetrics } from './text-width';

export type Row = Record<string, string | number | boolean | null>;
export type VegaLiteSpec = vl.TopLevelSpec;

/**
 * vega-lite -> vega -> SVG (headless view, no canvas) -> PNG with resvg, which draws text with the
 * system fonts. Non-finite numbers are dropped first: vega cannot place NaN, and the reports say
 * in words where values broke.
 */
export async function renderChartPng(spec: VegaLiteSpec, { scale = 2 } = {}): Promise<Uint8Array> {
  const svg = await renderChartSvg(spec);
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(resvg.render().asPng());
}

export async function renderChartSvg(spec: VegaLiteSpec): Promise<string> {
  useDejaVuMetrics();
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function finiteRows(rows: Row[], fields: string[]): Row[] {
  return rows.filter((r) => fields.every((f) => typeof r[f] !== 'number' || Number.isFinite(r[f])));
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white' } as const;

export interface LineChartOptions {
  title: string;
  rows: Row[];
  x: string;
  y: string;
  /** A field naming the series (one line per value). */
  series?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
  points?: boolean;
  /**
   * Fixed series order and colours, so the same series has the same colour in every figure of a
   * report even when a figure lacks some series. Default: vega's order of appearance.
   */
  seriesColors?: Record<string, string>;
  /**
   * Rows whose y is not finite (NaN, +-Infinity) are drawn as a labelled cross at the bottom of
   * the plot instead of being dropped silently: `markNonFinite: true`.
   */
  markNonFinite?: boolean;
  /**
   * One panel per series, each with its own y axis: for series that are different quantities (two
   * different losses), which one shared axis would misrepresent.
   */
  panels?: boolean;
}

/** What a non-finite value is called in a chart label. */
function nonFiniteName(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

/** Loss curves, pixel-flipping curves, running-stat traces: y against x, one line per series. */
export function lineChartSpec(o: LineChartOptions): VegaLiteSpec {
  const colorScale = o.seriesColors ? { domain: Object.keys(o.seriesColors), range: Object.values(o.seriesColors) } : undefined;
  const x = { field: o.x, type: 'quantitative', title: o.xTitle ?? o.x, scale: o.logX ? { type: 'log' } : { zero: false } } as const;
  const line = {
    mark: { type: 'line', point: o.points ?? false, clip: true },
    encoding: {
      x,
      y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: o.logY ? { type: 'log' } : { zero: false } },
      // dashes as well as colours: overlapping series (an exact method on top of the reference) stay visible
      ...(o.series
        ? {
            color: {
              field: o.series,
              type: 'nominal',
              title: o.series,
              legend: { labelLimit: 320 },
              ...(colorScale ? { scale: colorScale } : {}),
            },
            strokeDash: {
              field: o.series,
              type: 'nominal',
              title: o.series,
              legend: { labelLimit: 320 },
              ...(colorScale ? { scale: { domain: colorScale.domain } } : {}),
            },
          }
        : {}),
    },
  } as const;
  const broken = o.markNonFinite
    ? o.rows.flatMap((r) => {
        const v = r[o.y];
        return typeof v === 'number' && !Number.isFinite(v) && typeof r[o.x] === 'number'
          ? [{ ...r, [o.y]: null, label: nonFiniteName(v) }]
          : [];
      })
    : [];
  const finite = finiteRows(o.rows, [o.x, o.y]);
  if (o.panels && o.series) {
    return {
      ...base,
      title: o.title,
      data: { values: finite },
      facet: {
        row: {
          field: o.series,
          type: 'nominal',
          title: null,
          header: { labelFontWeight: 'bold', labelAngle: 0, labelAlign: 'left', labelOrient: 'top' },
        },
      },
      spec: { width: o.width ?? 480, height: Math.round((o.height ?? 260) * 0.6), ...line },
      resolve: { scale: { y: 'independent' } },
    } as VegaLiteSpec;
  }
  const common = { ...base, title: o.title, width: o.width ?? 480, height: o.height ?? 260 };
  if (broken.length === 0) return { ...common, data: { values: finite }, ...line } as VegaLiteSpec;
  // non-finite points: a cross in the series' colour on the bottom edge, labelled NaN / +Inf
  const color = o.series
    ? // no legend setting of its own: the line layer's legend is the merged one (a `legend: null` here made
      // vega-lite warn 'Conflicting legend property "disable"' for every such chart in the tour)
      { field: o.series, type: 'nominal', ...(colorScale ? { scale: colorScale } : {}) }
    : { value: 'black' };
  return {
    ...common,
    layer: [
      { data: { values: finite }, ...line },
      {
        data: { values: broken },
        mark: { type: 'point', shape: 'cross', size: 90, filled: true, clip: false },
        encoding: { x, y: { value: o.height ?? 260 }, color },
      },
      {
        data: { values: broken },
        mark: { type: 'text', dy: -10, fontSize: 9, clip: false },
        encoding: { x, y: { value: o.height ?? 260 }, text: { field: 'label' }, color },
      },
    ],
  } as VegaLiteSpec;
}

export interface ScatterOptions {
  title: string;
  rows: Row[];
  x: string;
  y: string;
  /** A categorical field for colour (e.g. the digit). */
  color?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
  size?: number;
}

export function scatterSpec(o: ScatterOptions): VegaLiteSpec {
  return {
    ...base,
    title: o.title,
    width: o.width ?? 420,
    height: o.height ?? 420,
    data: { values: finiteRows(o.rows, [o.x, o.y]) },
    mark: { type: 'circle', size: o.size ?? 18, opacity: 0.8 },
    encoding: {
      x: { field: o.x, type: 'quantitative', title: o.xTitle ?? o.x, scale: { zero: false } },
      y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: { zero: false } },
      ...(o.color
        ? { color: { field: o.color, type: 'nominal', title: o.color, scale: { scheme: 'category10' }, legend: { labelLimit: 320 } } }
        : {}),
    },
  };
}

export interface BarChartOptions {
  title: string;
  rows: Row[];
  category: string;
  value: string;
  group?: string;
  valueTitle?: string;
  width?: number;
  height?: number;
}

/** Whether the category labels fit side by side under the bars (~6.5 px per character at the axis font size). */
function labelsFit(o: BarChartOptions): boolean {
  const labels = [...new Set(o.rows.map((r) => String(r[o.category])))];
  const longest = Math.max(0, ...labels.map((l) => l.length));
  return labels.length === 0 || longest * 6.5 + 8 <= (o.width ?? 360) / labels.length;
}

/** Grouped bars: accuracy per head, subset accuracy per model, and so on. */
export function barChartSpec(o: BarChartOptions): VegaLiteSpec {
  return {
    ...base,
    title: o.title,
    width: o.width ?? 360,
    height: o.height ?? 240,
    data: { values: finiteRows(o.rows, [o.value]) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: o.category, type: 'nominal', title: o.category, axis: { labelAngle: labelsFit(o) ? 0 : -30, labelLimit: 240 } },
      y: { field: o.value, type: 'quantitative', title: o.valueTitle ?? o.value },
      ...(o.group
        ? { xOffset: { field: o.group }, color: { field: o.group, type: 'nominal', legend: { labelLimit: 320 } } }
        : { color: { field: o.category, type: 'nominal', legend: null } }),
    },
  };
}
