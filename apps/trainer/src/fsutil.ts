import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors';

let counter = 0;

/**
 * Writes through a temp file in the same directory and renames it into place, so a reader (or a
 * run resumed after SIGKILL) sees either the old file or the complete new one, never a torn write.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    // a full disk must not leave a half-written hidden file behind for the next run to trip over
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, jsonReplacer, 2)}\n`);
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
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new InvalidJsonFileError(file, err instanceof Error ? err.message : String(err));
  }
}
