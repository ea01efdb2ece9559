import { MODEL_IDS, RECIPES, type ModelId } from '../models/recipes';
import { readParam } from '../state/url';
import { h } from '../ui/dom';
import type { RunProgress } from './train-progress';
import { settingsForm } from './train-settings';

export type TrainState = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'failed';

/**
 * The Train tab's form: the model (from the recipes registry, linked to the URL), steps, the recipe's
 * settings, the run controls, the run's live report and its result with Use / Discard.
 */
export class TrainForm {
  readonly modelSelect = h('select', { id: 'train-model' }, ...MODEL_IDS.map((id) => h('option', { value: id }, RECIPES[id].label)));
  readonly steps = h('input', { id: 'train-steps', type: 'number', min: 1, max: 100000, value: 300 });
  readonly settings = settingsForm();
  readonly start = h('button', { class: 'btn primary', id: 'train-start' }, 'Train from scratch');
  readonly pause = h('button', { class: 'btn', id: 'train-pause', disabled: true }, 'Pause');
  readonly stop = h('button', { class: 'btn', id: 'train-stop', disabled: true }, 'Stop');
  readonly use = h('button', { class: 'btn primary', id: 'train-use', disabled: true }, 'Use these weights');
  readonly discard = h('button', { class: 'btn', id: 'train-discard', disabled: true }, 'Discard');
  readonly result = h('div', { class: 'log', id: 'train-result' }, 'No finished run yet: the other tabs keep their weights.');
  readonly el: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    report: RunProgress,
  ) {
    const wanted = readParam('model') as ModelId | null;
    const known = wanted !== null && MODEL_IDS.includes(wanted);
    if (known) this.modelSelect.value = wanted;
    const why =
      wanted && !known ? [`model "${wanted.slice(0, 40)}" is not one of the ${MODEL_IDS.length} models; using ${this.model()}`] : [];
    this.settings.load(this.model(), true, why);
    this.el = h(
      'div',
      { class: 'card train-form' },
      h('h3', {}, 'Train a model in a worker'),
      h(
        'div',
        { class: 'form' },
        h('label', { for: 'train-model' }, 'model'),
        this.modelSelect,
        h('label', { for: 'train-steps' }, 'steps'),
        this.steps,
        ...this.settings.rows,
      ),
      this.settings.note,
      h(
        'p',
        { class: 'sub' },
        'Seeded synthetic digits (no download), in a Web Worker: the page stays responsive. The settings start at the model\'s recipe and are part of the link. The other tabs keep their weights until you press "Use these weights".',
      ),
      h('div', { class: 'toolbar' }, this.start, this.pause, this.stop),
      report.progress,
      report.replay,
      report.hint,
      report.warnings,
      h('div', { class: 'toolbar spaced' }, this.use, this.discard),
      this.result,
    );
    root.dataset.trainState = 'idle';
  }

  model(): ModelId {
    return this.modelSelect.value as ModelId;
  }

  /** The steps asked for: a whole number, at least 1. */
  totalSteps(): number {
    return Math.max(1, Math.floor(Number(this.steps.value) || 1));
  }

  setState(s: TrainState): void {
    this.root.dataset.trainState = s;
    const active = s === 'running' || s === 'paused';
    this.start.disabled = active;
    this.modelSelect.disabled = active;
    this.settings.setDisabled(active);
    this.pause.disabled = !active;
    this.stop.disabled = !active;
    this.pause.textContent = s === 'paused' ? 'Resume' : 'Pause';
  }

  /** Offers a finished run's weights (Use only where they fit the model the other tabs hold). */
  offer(fits: boolean): void {
    this.use.disabled = !fits;
    this.discard.disabled = false;
  }

  /** No run's weights are on offer any more. */
  withdraw(): void {
    this.use.disabled = true;
    this.discard.disabled = true;
  }
}
