import type { ModelId } from '../models/recipes';
import { accuracyLabel, adoptWeights, currentWeights, getModel, revertToPretrained } from '../models/zoo';
import { h } from '../ui/dom';

/** What a change of the weights in use tells the Train tab: its result line and `data-result`. */
export type WeightsChange = (message: string, result: 'reverted' | 'uploaded') => void;

/**
 * The Train tab's "Weights in use" card for the selected model: where they come from, revert to the
 * shipped ones, download and upload as safetensors (PyTorch state-dict names).
 */
export class WeightsCard {
  private readonly inUse = h('div', { class: 'log', id: 'weights-in-use' }, '…');
  private readonly revert = h('button', { class: 'btn', id: 'weights-revert' }, 'Revert to pretrained');
  private readonly note = h('div', { class: 'log', id: 'weights-note', role: 'status' });
  readonly el: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly model: () => ModelId,
    onChange: WeightsChange,
  ) {
    const download = h('button', { class: 'btn', id: 'weights-download' }, 'Download .safetensors');
    const upload = h('input', {
      type: 'file',
      id: 'weights-upload',
      accept: '.safetensors,application/octet-stream',
      class: 'visually-hidden',
    });
    const uploadLabel = h('label', { for: 'weights-upload', class: 'btn', tabindex: 0, role: 'button' }, 'Upload .safetensors');
    this.el = h(
      'div',
      { class: 'card train-form' },
      h('h3', {}, 'Weights in use'),
      this.inUse,
      h('div', { class: 'toolbar spaced' }, this.revert, download, uploadLabel, upload),
      h('p', { class: 'sub' }, 'Files hold PyTorch state-dict names and layouts: safetensors.torch.load_file() reads them.'),
      this.note,
    );
    this.revert.addEventListener('click', () => {
      const id = model();
      void revertToPretrained(id).then(async () => {
        await this.describe();
        // Whatever an earlier message said about adopted weights is no longer true for this model.
        onChange(`Reverted: the other tabs use the shipped ${id} weights again.`, 'reverted');
      });
    });
    download.addEventListener('click', () => void this.download());
    uploadLabel.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        upload.click();
      }
    });
    upload.addEventListener('change', () => {
      const file = upload.files?.[0];
      if (!file) return;
      const id = model();
      void file
        .arrayBuffer()
        .then((buf) => adoptWeights(id, new Uint8Array(buf), 'uploaded', null))
        .then(async () => {
          this.note.textContent = `loaded ${file.name} into ${id}; every tab uses it now`;
          onChange(`The other tabs use the uploaded ${id} weights, not a run's.`, 'uploaded');
          this.note.classList.remove('error');
          await this.describe();
        })
        .catch((e: Error) => {
          // Strict loading checks every name and shape first, so a wrong file changes nothing.
          this.note.textContent = `${file.name} not loaded (weights unchanged): ${e.message}`;
          this.note.classList.add('error');
        })
        .finally(() => (upload.value = ''));
    });
  }

  /** Says where the selected model's weights come from (and offers Revert unless they are the shipped ones). */
  async describe(): Promise<void> {
    const id = this.model();
    const entry = await getModel(id);
    this.inUse.textContent = `${id}: ${entry.source}${accuracyLabel(entry) ? ` · ${accuracyLabel(entry)}` : ''}`;
    this.root.dataset.inUse = entry.source;
    this.revert.disabled = entry.source === 'pretrained';
  }

  private async download(): Promise<void> {
    const id = this.model();
    const bytes = await currentWeights(id);
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    const a = h('a', { href: url, download: `${id}.safetensors` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.note.textContent = `downloaded ${id}.safetensors (${bytes.byteLength.toLocaleString('en')} bytes)`;
  }
}
