import fs from 'node:fs';
import { writeFileAtomicSync } from '@logitlab/core/node';

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

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}
