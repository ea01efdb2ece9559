import { heatmapRgba, maxAbs } from '../lib/heatmap';
import type { Stage } from '../models/activations';
import { blit } from './draw-canvas';
import { canvas, fmt, h } from './dom';

const GAP = 1;

/** Lays `maps` maps of h x w in a grid `cols` wide with a gap; returns the tiled values (NaN = gap). */
export function tile(stage: Stage, cols: number): { width: number; height: number; values: Float32Array } {
  const rows = Math.ceil(stage.maps / cols);
  const width = cols * (stage.w + GAP) - GAP;
  const height = rows * (stage.h + GAP) - GAP;
  const values = new Float32Array(width * height).fill(Number.NaN);
  for (let c = 0; c < stage.maps; c++) {
    const ox = (c % cols) * (stage.w + GAP);
    const oy = Math.floor(c / cols) * (stage.h + GAP);
    for (let y = 0; y < stage.h; y++) {
      for (let x = 0; x < stage.w; x++) values[(oy + y) * width + ox + x] = stage.values[c * stage.h * stage.w + y * stage.w + x] ?? 0;
    }
  }
  return { width, height, values };
}

/**
 * CNN-Explainer-style view of the convnet for the drawn digit: every stage's maps tiled on one
 * canvas, coloured on a symmetric scale per stage (red positive, blue negative).
 */
export class LayerView {
  readonly el: HTMLElement;
  private readonly rows: Array<{ canvas: HTMLCanvasElement; caption: HTMLElement }> = [];

  constructor(private readonly stageCount = 6) {
    this.el = h('div', { class: 'layer-view', id: 'layer-view' });
    for (let i = 0; i < stageCount; i++) {
      const c = canvas(10, 10, { role: 'img', 'aria-label': 'activations (not computed yet)' });
      const caption = h('span', { class: 'muted' }, '');
      this.rows.push({ canvas: c, caption });
      this.el.append(h('figure', { class: 'stage' }, c, h('figcaption', {}, caption)));
    }
  }

  set(stages: readonly Stage[]): void {
    stages.slice(0, this.stageCount).forEach((stage, i) => {
      const row = this.rows[i];
      if (!row) return;
      const cols = stage.h === 1 ? Math.min(stage.maps, 25) : 10;
      const t = tile(stage, cols);
      const scale = maxAbs(stage.values);
      const rgba = heatmapRgba(
        t.values.map((v) => (Number.isNaN(v) ? 0 : v)),
        scale,
      );
      // gaps drawn in the page colour, so maps read as separate tiles
      for (let p = 0; p < t.values.length; p++) if (Number.isNaN(t.values[p] ?? 0)) rgba.set([246, 247, 249, 255], p * 4);
      const px = Math.max(2, Math.floor(280 / t.width));
      row.canvas.width = t.width * px;
      row.canvas.height = t.height * px;
      blit(row.canvas, rgba, t.width, t.height);
      const active = Array.from(stage.values).filter((v) => v > 0).length;
      row.caption.textContent = `${stage.name} · scale ±${fmt(scale, 3)}`;
      row.canvas.setAttribute(
        'aria-label',
        `${stage.name}: ${active} of ${stage.values.length} values positive, largest magnitude ${fmt(scale, 3)}`,
      );
      row.canvas.dataset.max = String(scale);
    });
  }
}
