import fs from 'node:fs';
import { writeFileAtomicSync } from '@logitlab/core/node';
import { UsageError } from './errors';

/**
 * JSON through @logitlab/core's atomic write, so a reader (or a run resumed after SIGKILL) sees either
 * the old file or the complete new one; a failure names the file and `purpose` (ENOSPC: "disk full").
 */
export function writeJsonAtomic(file: string, value: unknown, purpose = 'JSON file'): void {
  writeFileAtomicSync(file, `${JSON.stringify(value, jsonReplacer, 2)}\n`, { purpose });
}

/** JSON has no NaN / Infinity; the experiments measure exactly those, so keep them readable as strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/** A JSON file the user can fix by hand (config.json of a run) that does not parse: names the file. */
export class InvalidJsonFileError extends UsageError {
  override readonly name = 'InvalidJsonFileError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is not valid JSON (${detail}); fix or delete the file`, 1);
  }
}

export function readJson<T>(file: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    // a read, not a write: the top level would blame the run directory's output otherwise
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
    const why = code === 'EISDIR' ? 'is a directory, not a file' : code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`;
    throw new UsageError(`${file} ${why}; expected a JSON file`, 1);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new InvalidJsonFileError(file, err instanceof Error ? err.message : String(err));
  }
}
