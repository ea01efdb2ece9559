import { h } from './dom';

export interface FileDropOptions {
  /** The file input's id. */
  id: string;
  /** The input's `accept` (a hint to the file dialog; a dropped file of another kind still arrives). */
  accept: string;
  /** What the input asks for, for screen readers and as its visible label. */
  label: string;
}

/**
 * A file input (reachable with Tab, opened with Enter or Space) whose file, or one dropped on any
 * element `attach`ed to it, goes to `onFile`. The file is read in the page only: nothing is uploaded.
 */
export class FileDrop {
  readonly el: HTMLElement;
  readonly input: HTMLInputElement;

  constructor(
    opts: FileDropOptions,
    private readonly onFile: (file: File) => void,
  ) {
    this.input = h('input', { type: 'file', id: opts.id, accept: opts.accept, class: 'file-input' });
    this.el = h('div', { class: 'file-drop' }, h('label', { for: opts.id }, opts.label), this.input);
    this.input.addEventListener('change', () => {
      const file = this.input.files?.[0];
      // emptied so that choosing the same file again (after fixing it) is a change too
      this.input.value = '';
      if (file) this.onFile(file);
    });
    this.attach(this.el);
  }

  /** Makes `target` a drop zone for this input (it shows a dashed outline while a file is over it). */
  attach(target: HTMLElement): void {
    target.addEventListener('dragover', (e) => {
      // without preventDefault the browser would open the file itself instead of dropping it here
      e.preventDefault();
      target.classList.add('dragging');
    });
    target.addEventListener('dragleave', () => target.classList.remove('dragging'));
    target.addEventListener('drop', (e) => {
      e.preventDefault();
      e.stopPropagation();
      target.classList.remove('dragging');
      const file = e.dataTransfer?.files[0];
      if (file) this.onFile(file);
    });
  }
}
