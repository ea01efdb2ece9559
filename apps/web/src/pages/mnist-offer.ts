import { digitBank, downloadMnist, onDigitBank, type DigitBank } from '../models/digit-bank';
import { h } from '../ui/dom';

/**
 * Which examples the pickers put on the pad, and the offer to download the MNIST test split; the
 * download stays on offer until the whole split is in use (the build may ship a subset).
 */
export class MnistOffer {
  private readonly label: HTMLElement;
  private readonly button: HTMLButtonElement;
  readonly el: HTMLElement;

  constructor(prefix: string) {
    this.label = h('span', { class: 'muted', id: `${prefix}-bank` }, '');
    this.button = h('button', { class: 'btn', id: `${prefix}-mnist` }, 'Use real MNIST digits');
    this.el = h('div', { class: 'toolbar' }, this.label, this.button);
    onDigitBank((b) => this.show(b));
    this.button.addEventListener('click', () => {
      this.label.textContent = 'downloading the MNIST test split (1.6 MB)…';
      void downloadMnist().catch(async (e: Error) => {
        // a label holds one line: the loader's message lists every mirror's failure on lines of its own
        const kept = await digitBank();
        this.label.textContent = `examples: ${kept.label}; MNIST download failed: ${e.message.split('\n')[0]?.replace(/:$/, '')}`;
        this.label.title = e.message;
      });
    });
  }

  show(b: DigitBank): void {
    this.label.textContent = `examples: ${b.label}`;
    this.button.hidden = b.real && !b.partial;
  }
}
