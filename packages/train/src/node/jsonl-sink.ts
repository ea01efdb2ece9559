import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { type LineSink, TrainError } from '@logitlab/train';
import { describeFsError } from './fs-error';

/**
 * A `metricLogger` sink that appends each line to a JSONL file. Appends are synchronous so a
 * killed process keeps every line logged before it died (lines are few: one per step read).
 * A path that cannot be a log file (a folder, under a file) is a TrainError here, not mid-training.
 */
export function jsonlFileSink(file: string): LineSink {
  const fail = (what: string, e: unknown) =>
    new TrainError(`could not ${what} the metric log ${file}: ${describeFsError(e)}`, { cause: e });
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (e) {
    throw fail('create the folder of', e);
  }
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new TrainError(`the metric log ${file} is a directory; expected a file path (e.g. ${file}/metrics.jsonl)`);
  return (line: string) => {
    try {
      appendFileSync(file, `${line}\n`);
    } catch (e) {
      throw fail('append to', e);
    }
  };
}
