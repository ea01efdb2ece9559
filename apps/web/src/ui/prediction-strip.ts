import { canvas, h } from './dom';

/**
 * The phone's answer under the pad: the prediction, which class is explained, and a thumbnail of the
 * heatmap, kept in view (CSS: sticky) while the page scrolls; tapping it brings the full explanation.
 * Hidden on wide screens, where the explanation card itself sits beside the pad.
 */
export class PredictionStrip {
  readonly el: HTMLElement;
  private readonly pred: HTMLElement;
  private readonly text: HTMLElement;
  private readonly thumb: HTMLCanvasElement;

  constructor(id: string, onOpen: () => void) {
    this.pred = h('span', { class: 'strip-pred' }, '–');
    this.text = h('span', { class: 'strip-text' }, '');
    this.thumb = canvas(56, 56, { id: `${id}-heatmap`, role: 'img', 'aria-label': 'heatmap thumbnail (not computed yet)' });
    const open = h('button', { class: 'btn strip-open', type: 'button', 'aria-label': 'show the full explanation' }, 'Why? ↓');
    open.addEventListener('click', onOpen);
    this.el = h('div', { class: 'prediction-strip', id }, this.pred, this.text, this.thumb, open);
  }

  /** Shows `prediction`, a line about it, and the heatmap as drawn on `source` (scaled down). */
  set(prediction: string, line: string, source: HTMLCanvasElement, label: string, flagged: boolean): void {
    this.pred.textContent = prediction;
    this.text.textContent = line;
    this.el.classList.toggle('flagged', flagged);
    const ctx = this.thumb.getContext('2d');
    if (!ctx) return;
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, this.thumb.width, this.thumb.height);
    ctx.drawImage(source, 0, 0, this.thumb.width, this.thumb.height);
    this.thumb.setAttribute('aria-label', label);
  }
}
