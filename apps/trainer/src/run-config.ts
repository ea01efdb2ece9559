import { UsageError } from './errors';

/**
 * A run's config.json that parses but is not what a logitlab run writes (`null`, an array, no
 * `options`): `explain` and `train --resume` read fields of it and failed with raw TypeErrors.
 */
export class InvalidRunConfigError extends UsageError {
  override readonly name = 'InvalidRunConfigError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} ${detail}; expected the config a logitlab run writes ({ command, seed, options, ... }): fix or delete the file`, 1);
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The fields every run's config has (train and experiment runs alike); callers check their own `command`. */
export function checkRunConfig(file: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidRunConfigError(file, `holds ${kind(value)}`);
  const c = value as Record<string, unknown>;
  if (typeof c['command'] !== 'string') throw new InvalidRunConfigError(file, `has command ${kind(c['command'])}, not a string`);
  if (!Number.isSafeInteger(c['seed']))
    throw new InvalidRunConfigError(file, `has seed ${JSON.stringify(c['seed']) ?? 'undefined'}, not an integer`);
  const options = c['options'];
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new InvalidRunConfigError(file, options === undefined ? 'has no options' : `has options ${kind(options)}, not an object`);
}
