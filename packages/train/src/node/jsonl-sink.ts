import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LineSink } from '@logitlab/train';

/**
 * A `metricLogger` sink that appends each line to a JSONL file. Appends are synchronous so a
 * killed process keeps every line logged before it died (lines are few: one per step read).
 */
export function jsonlFileSink(file: string): LineSink {
  mkdirSync(dirname(file), { recursive: true });
  return (line: string) => {
    appendFileSync(file, `${line}\n`);
  };
}
