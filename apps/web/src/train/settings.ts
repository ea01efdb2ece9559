import { LogitlabError } from '@logitlab/core';
import { OPTIMIZER_KINDS, type OptimizerKind } from '@logitlab/recipes';
import type { Recipe } from '../models/recipes';

/**
 * The Train tab's settings (TF Playground's knobs) as they travel in the URL: `lr`, `batch`,
 * `optimizer` and, for the MLPs, `hidden` (widths, e.g. `hidden=256,128`). A link is input from
 * anyone, so each value is checked; a bad one becomes one line for the page and the recipe's value.
 */
export interface TrainSettings {
  lr: number;
  batchSize: number;
  optimizer: OptimizerKind;
  /** Hidden widths (MLP recipes only), null for models without changeable widths. */
  hidden: number[] | null;
}

/** What a recipe says, and how many hidden layers its model can have (0: no changeable widths). */
export interface SettingDefaults extends TrainSettings {
  maxHiddenLayers: number;
}

/** A recipe's own settings: what the form shows first and what replaces a bad value. */
export function settingDefaults(r: Recipe): SettingDefaults {
  return {
    lr: r.learningRate,
    batchSize: r.batchSize,
    optimizer: r.optimizer,
    hidden: r.hidden ? [...r.hidden.sizes] : null,
    maxHiddenLayers: r.hidden?.maxLayers ?? 0,
  };
}

// Wide enough for every experiment worth running in a page, narrow enough that a link cannot
// freeze the tab (a batch of 1e6 digits) or make every step NaN at once (lr 1e9).
const LIMITS = { lr: { min: 1e-5, max: 1 }, batchSize: { min: 1, max: 512 }, width: { min: 1, max: 1024 } } as const;

/** A Train setting (from a link or the form) outside what the page accepts. */
export class TrainSettingError extends LogitlabError {
  override name = 'TrainSettingError';
  constructor(
    readonly key: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`${key} "${value.length > 40 ? `${value.slice(0, 40)}…` : value}" is not ${expected}`);
  }
}

export function parseLr(raw: string): number {
  const v = raw.trim() === '' ? Number.NaN : Number(raw);
  const { min, max } = LIMITS.lr;
  if (!(v >= min && v <= max)) throw new TrainSettingError('learning rate', raw, `a number from ${min} to ${max}`);
  return v;
}

export function parseBatchSize(raw: string): number {
  const v = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  const { min, max } = LIMITS.batchSize;
  if (!(v >= min && v <= max)) throw new TrainSettingError('batch size', raw, `a whole number from ${min} to ${max}`);
  return v;
}

export function parseOptimizer(raw: string): OptimizerKind {
  const kind = OPTIMIZER_KINDS.find((k) => k === raw);
  if (!kind) throw new TrainSettingError('optimizer', raw, `one of ${OPTIMIZER_KINDS.join(', ')}`);
  return kind;
}

export function parseHidden(raw: string, maxLayers: number): number[] {
  const { min, max } = LIMITS.width;
  const expected = `1 to ${maxLayers} whole number${maxLayers === 1 ? '' : 's'} from ${min} to ${max}, comma-separated`;
  const parts = raw.split(/[,\s]+/).filter((p) => p !== '');
  const sizes = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  if (sizes.length < 1 || sizes.length > maxLayers || !sizes.every((s) => s >= min && s <= max))
    throw new TrainSettingError('hidden sizes', raw, expected);
  return sizes;
}

/** The URL's settings for a recipe, each bad or misplaced value replaced by the recipe's and named in `problems`. */
export function readTrainSettings(params: URLSearchParams, d: SettingDefaults): { settings: TrainSettings; problems: string[] } {
  const problems: string[] = [];
  const read = <T>(key: string, parse: (raw: string) => T, fallback: T, shown: string): T => {
    const raw = params.get(key);
    if (raw === null) return fallback;
    try {
      return parse(raw);
    } catch (e) {
      if (!(e instanceof TrainSettingError)) throw e;
      problems.push(`${e.message}; using ${shown}`);
      return fallback;
    }
  };
  const settings: TrainSettings = {
    lr: read('lr', parseLr, d.lr, String(d.lr)),
    batchSize: read('batch', parseBatchSize, d.batchSize, String(d.batchSize)),
    optimizer: read('optimizer', parseOptimizer, d.optimizer, d.optimizer),
    hidden: null,
  };
  if (d.hidden && d.maxHiddenLayers > 0)
    settings.hidden = read('hidden', (raw) => parseHidden(raw, d.maxHiddenLayers), [...d.hidden], d.hidden.join(','));
  else if (params.has('hidden')) problems.push('hidden sizes apply to the MLP models only (bn-mlp, vae-mlp); ignored');
  return { settings, problems };
}

/** The settings as URL parameters (`hidden` removed for models without changeable widths). */
export function trainSettingParams(s: TrainSettings): Record<string, string | null> {
  return { lr: String(s.lr), batch: String(s.batchSize), optimizer: s.optimizer, hidden: s.hidden ? s.hidden.join(',') : null };
}

/** One legend line naming a run's settings, e.g. "adam lr 0.001, batch 64, hidden 256-128". */
export function describeSettings(s: TrainSettings): string {
  return `${s.optimizer} lr ${s.lr}, batch ${s.batchSize}${s.hidden ? `, hidden ${s.hidden.join('-')}` : ''}`;
}

/** Whether weights trained with `s` fit the model the other tabs use (same hidden widths). */
export function sameArchitecture(s: TrainSettings, d: SettingDefaults): boolean {
  return (s.hidden ?? []).join(',') === (d.hidden ?? []).join(',');
}
