import { digitBank, nextExample } from '../models/digit-bank';
import { digitPicker } from '../ui/digit-picker';
import { DrawCanvas } from '../ui/draw-canvas';
import { canvas, h } from '../ui/dom';

/**
 * Classify's pad card: the 28 x 28 drawing pad, the example-digit buttons, Clear, a preview of what
 * the networks see and the note that says when the drawing is unlike the training digits.
 */
export class ClassifyPad {
  readonly el = h('div', { class: 'card pad-card' });
  readonly draw: DrawCanvas;
  readonly preview = canvas(84, 84, {
    class: 'preview',
    role: 'img',
    'aria-label': 'what the networks see: the drawing centred and scaled like MNIST, 28 by 28',
  });
  readonly bankLabel = h('span', { class: 'muted', id: 'classify-bank' }, '');
  // A classifier has no "none of these" output, so on a blank pad every head still answers. Below the
  // pad and always taking its space, so showing or hiding it never moves the pad mid-stroke.
  readonly oodNote = h('p', { class: 'note', id: 'classify-ood' }, '');

  constructor() {
    const clear = h('button', { class: 'btn', id: 'classify-clear' }, 'Clear');
    this.el.append(h('h3', {}, 'Draw a digit'));
    const draw = new DrawCanvas(this.el, {
      width: 28,
      height: 28,
      scale: 10,
      pen: 2.4,
      label: 'digit drawing pad: draw with a mouse, pen or finger, or put an example digit on it with the buttons below',
    });
    this.draw = draw;
    const picker = digitPicker(
      {
        id: 'classify-pick',
        className: 'classify-picker',
        label: 'put an example digit on the pad',
        prefix: 'example:',
        buttonLabel: (d) => `put an example ${d} on the pad`,
      },
      (d) => void digitBank().then((b) => draw.paint(nextExample(b, d))),
    );
    const toolbar = h('div', { class: 'toolbar' }, clear, h('span', { class: 'muted' }, 'network input:'), this.preview);
    this.el.append(picker, this.bankLabel, toolbar, this.oodNote);
    clear.addEventListener('click', () => draw.clear());
  }
}
