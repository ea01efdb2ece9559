import type { ConvNetHead, MnistConvNet } from '@logitlab/models';
import { argmax, barLengths, LESSONS, sumLine } from '../lib/heads';
import { HEADS } from '../models/recipes';
import { accuracyLabel, type ZooEntry } from '../models/zoo';
import type { Target } from '../state/pinned-target';
import { fmt, h } from './dom';

/** One card per convnet head: its lesson, its ten outputs as bars (each a button that pins its class), its source. */
export class HeadCards {
  readonly el = h('div', { class: 'heads' });
  private readonly cards = new Map<ConvNetHead, HTMLElement>();

  constructor(private readonly onPick: (head: ConvNetHead, digit: number) => void) {
    for (const head of HEADS) {
      const l = LESSONS[head];
      const card = h(
        'div',
        { class: 'card head-card', 'data-head': head },
        h('h3', {}, `${l.title} head`),
        h('div', { class: 'pairing' }, 'trained with ', h('code', {}, l.loss)),
        h('div', { class: 'lesson' }, l.lesson),
        h('div', { class: 'pred' }, '–'),
        h('div', { class: 'range' }, l.range),
        h('div', { class: 'bars', role: 'group', 'aria-label': `${head} head outputs; press one to explain it` }),
        h('div', { class: 'muted sum' }, ''),
        h('div', { class: 'toolbar' }, h('span', { class: 'badge source' }, 'loading…'), h('span', { class: 'muted accuracy' }, '')),
      );
      this.cards.set(head, card);
      this.el.append(card);
    }
  }

  /** Shows `entry`'s outputs on its head's card; the bar of `target`'s class is pressed. */
  render(entry: ZooEntry<MnistConvNet>, values: number[], target: Target): void {
    const head = entry.model.head;
    const card = this.cards.get(head);
    if (!card) return;
    const top = argmax(values);
    const lengths = barLengths(head, values);
    card.dataset.outputs = JSON.stringify(values);
    card.dataset.top = String(top);
    // A head whose outputs all tie (the sigmoid head saturates at 1 everywhere) makes no decision.
    const ties = values.filter((v) => Math.abs(v - (values[top] ?? 0)) < 1e-6).length;
    card.querySelector('.pred')!.textContent = ties > 1 ? `${ties}-way tie` : `${top}`;
    card.querySelector('.sum')!.textContent = sumLine(head, values);
    const badge = card.querySelector('.source')!;
    badge.textContent = entry.source;
    badge.className = `badge source ${entry.source.split(' ')[0]}`;
    card.querySelector('.accuracy')!.textContent = accuracyLabel(entry);
    const bars = card.querySelector('.bars')!;
    // The bars are rebuilt each render: a focused one hands its focus to its successor.
    const focused = bars.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.digit : undefined;
    bars.replaceChildren(...values.map((v, d) => this.bar(head, d, v, d === top, lengths[d] ?? 0, target)));
    if (focused !== undefined) bars.querySelector<HTMLElement>(`.bar[data-digit="${focused}"]`)?.focus();
  }

  private bar(head: ConvNetHead, d: number, v: number, top: boolean, length: number, target: Target): HTMLElement {
    const fill = h('div', { class: 'fill' });
    fill.style.width = `${Math.max(1, length * 100)}%`;
    const pressed = target.head === head && (target.digit ?? -1) === d;
    const bar = h(
      'button',
      {
        class: `bar${top ? ' top' : ''}`,
        'data-digit': d,
        'aria-pressed': String(pressed),
        'aria-label': `${head} output for ${d}: ${fmt(v, 3)}; explain`,
      },
      h('span', {}, String(d)),
      h('div', { class: 'track' }, fill),
      h('span', { class: 'val' }, fmt(v, 3)),
    );
    bar.addEventListener('click', () => this.onPick(head, d));
    return bar;
  }
}
