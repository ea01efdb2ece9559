import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors';
import { unknownName } from './suggest';

export const BACKENDS = ['auto', 'cpu', 'wasm', 'native', 'webgl', 'webgpu', 'tensorflow', 'tensorflow-gpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export const MNIST_VARIANTS = ['mnist', 'fashion-mnist', 'kmnist'] as const;
export type MnistVariant = (typeof MNIST_VARIANTS)[number];

/** Where training data comes from; `default` means "MNIST if cached, else synthetic" (decided at load time). */
export type DataSpec =
  { kind: 'default' } | { kind: 'synthetic' } | { kind: 'mnist'; variant: MnistVariant } | { kind: 'dir'; dir: string };

/** Flags shared by every training command; undefined means "the experiment's own default". */
export interface CommonOptions {
  backend: BackendChoice;
  data: DataSpec;
  download: boolean;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  out?: string;
  quick: boolean;
  resume?: string;
}

/**
 * What `logitlab explain <run-dir | model.onnx>` takes besides the model (the `--dataset` mode aside):
 * one shape for the CLI's action and both commands, which differ only in how they name the model.
 */
export interface ExplainFlags {
  backend: BackendChoice;
  /** A count; for an .onnx model also a dataset name, an IDX file or a directory of PNGs. */
  images: number | string;
  method: string;
  composite?: string;
  target?: number;
  out?: string;
}

/**
 * `explain --images` draws from the test split (10,000 images in MNIST): a larger count cannot be
 * served, and 1e9 failed as a raw "Invalid typed array length" while allocating.
 */
export const MAX_EXPLAIN_IMAGES = 10_000;

/** A positive integer flag; `max` (with why) caps it, so a huge value fails here rather than as an allocation. */
export function parsePositiveInt(value: string, flag: string, max?: { value: number; why: string }): number {
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag}: expected a positive integer, got '${value}'`);
  }
  if (max && Number(value) > max.value) throw new UsageError(`${flag}: expected at most ${max.value} (${max.why}), got '${value}'`);
  return Number(value);
}

export function parseNonNegativeInt(value: string, flag: string): number {
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag}: expected a non-negative integer, got '${value}'`);
  }
  return Number(value);
}

export function parseLearningRate(value: string, flag = '--lr'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 10) {
    throw new UsageError(`${flag}: expected a number in (0, 10], got '${value}'`);
  }
  return n;
}

export function parseBackend(value: string): BackendChoice {
  const found = BACKENDS.find((b) => b === value);
  if (!found) throw new UsageError(`--backend: ${unknownName('backend', value, BACKENDS)}`);
  return found;
}

/**
 * `--data` is a dataset name or a directory of IDX files. A directory is checked here, so an
 * unreadable one fails before any model is built.
 */
export function parseData(value: string): DataSpec {
  if (value === 'synthetic') return { kind: 'synthetic' };
  const variant = MNIST_VARIANTS.find((v) => v === value);
  if (variant) return { kind: 'mnist', variant };
  const dir = path.resolve(value);
  const notFound = `--data: '${value}' is neither synthetic, ${MNIST_VARIANTS.join(', ')} nor a readable directory`;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new UsageError(notFound);
  }
  if (!stat.isDirectory()) throw new UsageError(`--data: '${value}' is a file; expected a directory of IDX files or a dataset name`);
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    throw new UsageError(`--data: directory '${value}' is not readable`);
  }
  return { kind: 'dir', dir };
}

/** A run directory (to resume, evaluate or explain) must hold the config.json of an earlier run. */
export function parseRunDir(value: string, label = '--resume'): string {
  const dir = path.resolve(value);
  const stat = fs.statSync(path.join(dir, 'config.json'), { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`${label}: '${value}' is not a run directory (no config.json in it)`);
  if (!stat.isFile()) throw new UsageError(`${label}: '${value}' has a config.json that is not a file; expected the JSON config of a run`);
  return dir;
}

/** An .onnx model file (for explain and evaluate, beside a run directory). */
export const isOnnxPath = (value: string): boolean => value.toLowerCase().endsWith('.onnx');

/** An existing .onnx file (`train --from`). */
export function parseOnnxFile(value: string, label: string): string {
  const file = path.resolve(value);
  if (!isOnnxPath(value) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new UsageError(`${label}: '${value}' is not a readable .onnx file`);
  }
  return file;
}

/** A run directory, or an .onnx file to import (`logitlab explain model.onnx`). */
export function parseRunDirOrOnnx(value: string, label: string): string {
  return isOnnxPath(value) ? parseOnnxFile(value, label) : parseRunDir(value, label);
}

/** --images: a count (of the run's digits), or for .onnx models a dataset name, an IDX file or a PNG directory. */
export function parseImages(value: string): number | string {
  return /^\s*\d+\s*$/.test(value)
    ? parsePositiveInt(value, '--images', { value: MAX_EXPLAIN_IMAGES, why: 'the test split it draws from' })
    : value;
}

/** Raw values as commander hands them over (strings, or already parsed by the per-flag parsers). */
export interface RawCommonOptions {
  backend?: BackendChoice;
  data?: DataSpec;
  download?: boolean;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  out?: string;
  quick?: boolean;
  resume?: string;
}

export function resolveCommonOptions(raw: RawCommonOptions): CommonOptions {
  if (raw.resume && raw.out && path.resolve(raw.out) !== raw.resume) {
    throw new UsageError('--resume continues in its own directory; do not combine it with a different --out');
  }
  return {
    backend: raw.backend ?? 'auto',
    data: raw.data ?? { kind: 'default' },
    download: raw.download ?? false,
    epochs: raw.epochs,
    batchSize: raw.batchSize,
    lr: raw.lr,
    seed: raw.seed,
    out: raw.out,
    quick: raw.quick ?? false,
    resume: raw.resume,
  };
}

export function describeData(spec: DataSpec): string {
  switch (spec.kind) {
    case 'default':
      return 'default (MNIST if cached, else synthetic)';
    case 'synthetic':
      return 'synthetic';
    case 'mnist':
      return spec.variant;
    case 'dir':
      return spec.dir;
  }
}
