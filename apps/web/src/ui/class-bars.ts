import { topClasses } from '../lib/model-input';
import { fmt, h } from './dom';

/** How many outputs a model may have before only the largest are shown as bars. */
const SHOWN = 10;

/**
 * A model's outputs as a column of buttons, largest first (the ten largest of a model with more
 * classes); pressing one asks for that class's explanation. The model's outputs may be logits,
 * log-probabilities or probabilities, so a bar's length spans the outputs' own range.
 */
export class ClassBars {
  readonly el: HTMLElement;

  constructor(
    id: string,
    private readonly onPick: (cls: number) => void,
  ) {
    this.el = h('div', { class: 'bars model-bars', id, role: 'group', 'aria-label': "the model's outputs; press one to explain it" });
  }

  set(values: ArrayLike<number>, explained: number, pinned: boolean): void {
    const all = Array.from(values);
    const lo = Math.min(...all);
    const span = Math.max(...all) - lo || 1;
    // the bars are rebuilt: a focused one hands its focus to its successor (the same class)
    const focused = this.el.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.cls : undefined;
    const top = topClasses(values, SHOWN);
    this.el.replaceChildren(
      ...top.map(([cls, v], rank) => {
        const fill = h('div', { class: 'fill' });
        fill.style.width = `${Math.max(1, ((v - lo) / span) * 100)}%`;
        const bar = h(
          'button',
          {
            class: `bar${rank === 0 ? ' top' : ''}`,
            type: 'button',
            'data-cls': cls,
            'aria-pressed': String(pinned && cls === explained),
            'aria-label': `output ${cls}: ${fmt(v, 3)}; explain`,
          },
          h('span', {}, String(cls)),
          h('div', { class: 'track' }, fill),
          h('span', { class: 'val' }, fmt(v, 3)),
        );
        bar.addEventListener('click', () => this.onPick(cls));
        return bar;
      }),
    );
    if (focused !== undefined) this.el.querySelector<HTMLElement>(`.bar[data-cls="${focused}"]`)?.focus();
  }
}
