// A run directory's config.json that parses but is not a run's config (null, no options), or that is a
// folder, is a one-line typed error naming the file, for `explain` / `evaluate` (readTrainRun) and
// `train --resume` (RunDir.readConfig) alike; raw TypeErrors and a "write failure" before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTrainRun, trainCommand } from './commands/train';
import { UsageError } from './errors';
import { parsePositiveInt, parseRunDir, MAX_EXPLAIN_IMAGES, resolveCommonOptions } from './options';
import { InvalidRunConfigError } from './run-config';
import { RunDir } from './run-dir';

const dirs: string[] = [];
const runWith = (config: string | null): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-config-'));
  dirs.push(dir);
  if (config === null) fs.mkdirSync(path.join(dir, 'config.json'));
  else fs.writeFileSync(path.join(dir, 'config.json'), config);
  return dir;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<UsageError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  return e as UsageError;
}

describe('a run config.json that is not one', () => {
  const cases: Record<string, [string, RegExp]> = {
    null: ['null', /config\.json holds null; expected the config a logitlab run writes/],
    'an array': ['[1]', /config\.json holds an array; expected/],
    'no options': ['{"command":"train","model":"sumpool","seed":1,"quick":true}', /config\.json has no options; expected/],
    'options null': ['{"command":"train","model":"sumpool","seed":1,"options":null}', /config\.json has options null, not an object/],
    'no seed': ['{"command":"train","model":"sumpool","options":{}}', /config\.json has seed undefined, not an integer/],
  };
  for (const [what, [text, message]] of Object.entries(cases)) {
    it(`${what}: explain/evaluate and train --resume name the file`, async () => {
      const dir = runWith(text);
      const viaExplain = await failure(readTrainRun(dir));
      expect(viaExplain).toBeInstanceOf(InvalidRunConfigError);
      expect(viaExplain.message).toMatch(message);
      expect(viaExplain.message).toContain(path.join(dir, 'config.json'));
      const opts = resolveCommonOptions({ backend: 'cpu', resume: dir });
      const viaResume = await failure(trainCommand('sumpool', opts));
      expect(viaResume.message).toMatch(message);
    });
  }

  it('a folder: refused as --resume / run-dir argument, and as a read (not reported as a write failure)', () => {
    const dir = runWith(null);
    expect(() => parseRunDir(dir)).toThrow(/has a config\.json that is not a file; expected the JSON config of a run/);
    expect(() => parseRunDir(dir, 'run-dir')).toThrow(UsageError);
    expect(() => new RunDir(dir).readConfig()).toThrow(`${path.join(dir, 'config.json')} is a directory, not a file; expected a JSON file`);
  });
});

describe('explain --images', () => {
  it(`is capped at ${MAX_EXPLAIN_IMAGES} (the test split), typed, before anything is allocated`, () => {
    expect(() => parsePositiveInt('1000000000', '--images', { value: MAX_EXPLAIN_IMAGES, why: 'the test split it draws from' })).toThrow(
      `--images: expected at most 10000 (the test split it draws from), got '1000000000'`,
    );
    expect(parsePositiveInt('10000', '--images', { value: MAX_EXPLAIN_IMAGES, why: '' })).toBe(10_000);
  });
});
