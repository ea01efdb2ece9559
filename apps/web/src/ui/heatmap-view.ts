import { divergingColor, maxAbs, overlayRgba } from '../lib/heatmap';
import { blit } from './draw-canvas';
import { canvas, fmt, h } from './dom';

const HOVER_HINT = 'point at or tap a pixel for its value';

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
  private readonly bar: HTMLCanvasElement;
  private readonly legendText = h('span', { class: 'muted' }, 'against · 0 · for');
  private signedLegend: boolean | null = null;
  /** The pixel under the mouse or last tapped, whose value the readout shows. */
  private pointedAt: { x: number; y: number } | null = null;

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
    this.bar = canvas(120, 10, { class: 'legend-bar', 'aria-hidden': 'true' });
    this.drawLegend(true);
    this.legendLo = h('span', {}, '−0');
    this.legendHi = h('span', {}, '+0');
    this.hover = h('span', { class: 'muted hover-value', 'aria-hidden': 'true', id: `${opts.id}-value` }, HOVER_HINT);
    this.el = h(
      'div',
      { class: 'heatmap-view' },
      this.canvas,
      h('div', { class: 'legend-scale', id: `${opts.id}-legend` }, this.legendLo, this.bar, this.legendHi, this.legendText),
      h('label', { class: 'muted opacity' }, 'overlay on input ', this.slider),
      this.hover,
    );
    this.slider.addEventListener('input', () => this.draw());
    const readout = (e: PointerEvent): void => {
      const r = this.canvas.getBoundingClientRect();
      const x = Math.floor(((e.clientX - r.left) / r.width) * opts.width);
      const y = Math.floor(((e.clientY - r.top) / r.height) * opts.height);
      if (x >= 0 && x < opts.width && y >= 0 && y < opts.height) this.pointedAt = { x, y };
      this.showValue();
    };
    // pointerdown too: a finger's tap moves no pointer, and a phone has no hover
    this.canvas.addEventListener('pointermove', readout);
    this.canvas.addEventListener('pointerdown', readout);
    // a mouse that leaves clears the readout; a tapped value stays until the next tap
    this.canvas.addEventListener('pointerleave', (e) => {
      if (e.pointerType !== 'mouse') return;
      this.pointedAt = null;
      this.showValue();
    });
  }

  /** The value of the current map at the pointed pixel: a new map under a resting pointer or a tapped pixel updates it. */
  private showValue(): void {
    const at = this.pointedAt;
    const v = at ? this.relevance[at.y * this.opts.width + at.x] : undefined;
    this.hover.textContent = at && v !== undefined ? `pixel (${at.x}, ${at.y}): R = ${fmt(v, 4)}` : HOVER_HINT;
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
    // A map that is never negative (sensitivity, Grad-CAM) gets the half of the scale it uses.
    const signed = Array.prototype.some.call(relevance, (v: number) => v < 0);
    this.drawLegend(signed);
    this.legendLo.textContent = signed ? `−${fmt(this.scaleValue, 3)}` : '0';
    this.legendHi.textContent = `+${fmt(this.scaleValue, 3)}`;
    this.canvas.setAttribute('aria-label', text);
    this.canvas.dataset.scale = String(this.scaleValue);
    // where the map peaks (row-major index; read by the e2e tests: is it on the stroke?)
    let peak = 0;
    for (let i = 1; i < relevance.length; i++) if ((relevance[i] ?? 0) > (relevance[peak] ?? 0)) peak = i;
    this.canvas.dataset.peak = String(peak);
    // the values themselves, to 6 significant digits, so the e2e suite can compare backends' maps
    this.canvas.dataset.relevance = Array.from(relevance, (v) => Number(v.toPrecision(6))).join(',');
    this.showValue();
    this.draw();
  }

  private drawLegend(signed: boolean): void {
    if (this.signedLegend === signed) return;
    this.signedLegend = signed;
    this.legendText.textContent = signed ? 'against · 0 · for' : '0 · more (never negative)';
    const ctx = this.bar.getContext('2d');
    if (!ctx) return;
    for (let x = 0; x < 120; x++) {
      const [r, g, b] = divergingColor(signed ? (x / 119) * 2 - 1 : x / 119);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(x, 0, 1, 10);
    }
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
