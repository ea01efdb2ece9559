import { OPTIMIZER_KINDS, type OptimizerKind } from '@logitlab/recipes';
import { RECIPES, type ModelId } from '../models/recipes';
import { parseHash, writeParams } from '../state/url';
import {
  parseBatchSize,
  parseHidden,
  parseLr,
  parseOptimizer,
  readTrainSettings,
  settingDefaults,
  TrainSettingError,
  trainSettingParams,
  type SettingDefaults,
  type TrainSettings,
} from '../train/settings';
import { h } from '../ui/dom';

const OPTIMIZER_LABELS: Record<OptimizerKind, string> = { sgd: 'SGD', momentum: 'SGD + momentum', adam: 'Adam' };

export interface SettingsForm {
  /** The form's rows (label, control pairs for a `.form` grid) and its one-line notes. */
  rows: HTMLElement[];
  note: HTMLElement;
  /** The settings the next run trains with (always valid). */
  current(): TrainSettings;
  defaults(): SettingDefaults;
  /** Shows `id`'s recipe values (a model change), or the link's for the first model. */
  load(id: ModelId, fromUrl: boolean, linkProblems?: string[]): void;
  setDisabled(disabled: boolean): void;
}

/**
 * Learning rate, batch size, optimiser and (MLPs) hidden widths, kept in the URL. Every value, from
 * a link or typed in, goes through one parser; a bad one is named in one line and replaced (by the
 * recipe's value from a link, by the last good value in the form).
 */
export function settingsForm(): SettingsForm {
  const optimizer = h('select', { id: 'train-optimizer' }, ...OPTIMIZER_KINDS.map((k) => h('option', { value: k }, OPTIMIZER_LABELS[k])));
  const lr = h('input', { id: 'train-lr', type: 'number', min: 0.00001, max: 1, step: 'any', inputmode: 'decimal' });
  const batch = h('input', { id: 'train-batch', type: 'number', min: 1, max: 512, step: 1, inputmode: 'numeric' });
  const hidden = h('input', { id: 'train-hidden', type: 'text', inputmode: 'numeric', autocomplete: 'off' });
  const hiddenLabel = h('label', { for: 'train-hidden' }, 'hidden sizes');
  const note = h('ul', { class: 'log warnings', id: 'train-settings-note', role: 'status' });
  let defaults: SettingDefaults = settingDefaults(RECIPES['convnet-logits']);
  let settings: TrainSettings = { ...defaults };

  const show = (): void => {
    optimizer.value = settings.optimizer;
    lr.value = String(settings.lr);
    batch.value = String(settings.batchSize);
    hidden.value = settings.hidden?.join(',') ?? '';
    const mlp = settings.hidden !== null;
    hidden.hidden = hiddenLabel.hidden = !mlp;
    hidden.title = mlp ? `1 to ${defaults.maxHiddenLayers} widths, comma-separated` : '';
    writeParams(trainSettingParams(settings));
  };
  const say = (problems: string[]): void => note.replaceChildren(...problems.map((p) => h('li', {}, `⚠ ${p}`)));

  /** One control changed: parse it; a bad value keeps the last good one and says so. */
  const take = <K extends keyof TrainSettings>(key: K, parse: () => TrainSettings[K], shown: () => string): void => {
    try {
      settings = { ...settings, [key]: parse() };
      say([]);
    } catch (e) {
      if (!(e instanceof TrainSettingError)) throw e;
      say([`${e.message}; keeping ${shown()}`]);
    }
    show();
  };
  optimizer.addEventListener('change', () =>
    take(
      'optimizer',
      () => parseOptimizer(optimizer.value),
      () => settings.optimizer,
    ),
  );
  lr.addEventListener('change', () =>
    take(
      'lr',
      () => parseLr(lr.value),
      () => String(settings.lr),
    ),
  );
  batch.addEventListener('change', () =>
    take(
      'batchSize',
      () => parseBatchSize(batch.value),
      () => String(settings.batchSize),
    ),
  );
  hidden.addEventListener('change', () =>
    take(
      'hidden',
      () => parseHidden(hidden.value, defaults.maxHiddenLayers),
      () => settings.hidden?.join(',') ?? '',
    ),
  );

  return {
    rows: [
      h('label', { for: 'train-optimizer' }, 'optimizer'),
      optimizer,
      h('label', { for: 'train-lr' }, 'learning rate'),
      lr,
      h('label', { for: 'train-batch' }, 'batch size'),
      batch,
      hiddenLabel,
      hidden,
    ],
    note,
    current: () => ({ ...settings, hidden: settings.hidden && [...settings.hidden] }),
    defaults: () => defaults,
    load(id, fromUrl, linkProblems = []) {
      defaults = settingDefaults(RECIPES[id]);
      const read = readTrainSettings(fromUrl ? parseHash(location.hash).params : new URLSearchParams(), defaults);
      settings = read.settings;
      say([...linkProblems, ...read.problems].map((p) => `link: ${p}`));
      show();
    },
    setDisabled(disabled) {
      for (const c of [optimizer, lr, batch, hidden]) c.disabled = disabled;
    },
  };
}
