import { h } from './dom';

export interface DigitPickerOptions {
  id: string;
  /** The group's name for a screen reader ('put an example digit on the pad'). */
  label: string;
  /** The visible prefix ('example:'). */
  prefix: string;
  /** Each button's name for a screen reader. */
  buttonLabel: (digit: number) => string;
  className?: string;
}

/**
 * A row of ten buttons that put an example digit on a pad (a page without a pointer). A press calls
 * `onPick` with the digit.
 */
export function digitPicker(opts: DigitPickerOptions, onPick: (digit: number) => void): HTMLElement {
  const el = h(
    'div',
    { class: opts.className ? `picker ${opts.className}` : 'picker', id: opts.id, role: 'group', 'aria-label': opts.label },
    h('span', { class: 'muted' }, opts.prefix),
    ...Array.from({ length: 10 }, (_, d) => h('button', { class: 'btn', 'data-digit': d, 'aria-label': opts.buttonLabel(d) }, String(d))),
  );
  el.addEventListener('click', (e) => {
    const d = (e.target as HTMLElement).dataset.digit;
    if (d !== undefined) onPick(Number(d));
  });
  return el;
}
