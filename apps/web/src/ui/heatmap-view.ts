import { divergingColor, maxAbs, overlayRgba } from '../lib/heatmap';
import { blit } from './draw-canvas';
import { canvas, fmt, h } from './dom';

export interface HeatmapViewOptions {
  id: string;
  width: number;
  height: number;
  /** Screen pixels per cell. */
  scale: number;
  /** Starting opacity of the heatmap over the input (0-1). */
  opacity?: number;
}

/**
 * A relevance map over its input: opacity slider, a symmetric colour scale (−s … +s, s = max |R|)
 * with a legend, and the value under the pointer.
 */
export class HeatmapView {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly slider: HTMLInputElement;
  private readonly legendLo: HTMLElement;
  private readonly legendHi: HTMLElement;
  private readonly hover: HTMLElement;
  private input: ArrayLike<number> = [];
  private relevance: ArrayLike<number> = [];
  private range: readonly [number, number] = [0, 1];
  private scaleValue = 0;

  constructor(private readonly opts: HeatmapViewOptions) {
    this.canvas = canvas(opts.width * opts.scale, opts.height * opts.scale, {
      id: opts.id,
      role: 'img',
      'aria-label': 'relevance map (not computed yet)',
    });
    this.slider = h('input', {
      type: 'range',
      min: 0,
      max: 100,
      value: Math.round((opts.opacity ?? 0.7) * 100),
      id: `${opts.id}-opacity`,
      'aria-label': 'heatmap opacity over the input',
    });
    const bar = canvas(120, 10, { class: 'legend-bar', 'aria-hidden': 'true' });
    const ctx = bar.getContext('2d');
    if (ctx) {
      for (let x = 0; x < 120; x++) {
        const [r, g, b] = divergingColor((x / 119) * 2 - 1);
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect(x, 0, 1, 10);
      }
    }
    this.legendLo = h('span', {}, '−0');
    this.legendHi = h('span', {}, '+0');
    this.hover = h('span', { class: 'muted hover-value', 'aria-hidden': 'true' }, 'point at a pixel for its value');
    this.el = h(
      'div',
      { class: 'heatmap-view' },
      this.canvas,
      h(
        'div',
        { class: 'legend-scale', id: `${opts.id}-legend` },
        this.legendLo,
        bar,
        this.legendHi,
        h('span', { class: 'muted' }, 'against · 0 · for'),
      ),
      h('label', { class: 'muted opacity' }, 'overlay on input ', this.slider),
      this.hover,
    );
    this.slider.addEventListener('input', () => this.draw());
    this.canvas.addEventListener('pointermove', (e) => {
      const r = this.canvas.getBoundingClientRect();
      const cx = Math.floor(((e.clientX - r.left) / r.width) * opts.width);
      const cy = Math.floor(((e.clientY - r.top) / r.height) * opts.height);
      const v = this.relevance[cy * opts.width + cx];
      if (v !== undefined) this.hover.textContent = `pixel (${cx}, ${cy}): R = ${fmt(v, 4)}`;
    });
  }

  get opacity(): number {
    return Number(this.slider.value) / 100;
  }

  /** Shows `relevance` over `input` (values in `range`), described by `text` for screen readers. */
  set(input: Float32Array, relevance: Float32Array, range: readonly [number, number], text: string): void {
    this.input = input;
    this.relevance = relevance;
    this.range = range;
    this.scaleValue = maxAbs(relevance);
    this.legendLo.textContent = `−${fmt(this.scaleValue, 3)}`;
    this.legendHi.textContent = `+${fmt(this.scaleValue, 3)}`;
    this.canvas.setAttribute('aria-label', text);
    this.canvas.dataset.scale = String(this.scaleValue);
    this.draw();
  }

  private draw(): void {
    if (!this.relevance.length) return;
    blit(
      this.canvas,
      overlayRgba(this.input, this.relevance, this.scaleValue, this.opacity, this.range),
      this.opts.width,
      this.opts.height,
    );
  }
}
