import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomicSync } from '@logitlab/core/node';
import { readJson, writeJsonAtomic } from './fsutil';
import { RunDir, defaultRunDir, timestamp } from './run-dir';

describe('atomic files and run directories', () => {
  it('writes through a temp file and leaves only the target', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-fs-'));
    const file = path.join(dir, 'sub', 'a.json');
    writeJsonAtomic(file, { a: 1, bad: NaN, inf: -Infinity });
    writeFileAtomicSync(path.join(dir, 'sub', 'b.bin'), new Uint8Array([1, 2, 3]));
    expect(fs.readdirSync(path.join(dir, 'sub')).sort()).toEqual(['a.json', 'b.bin']); // oxlint-disable-line unicorn/no-array-sort
    expect(readJson(file)).toEqual({ a: 1, bad: 'NaN', inf: '-Infinity' });
  });

  it('names runs runs/<name>-<timestamp>', () => {
    const d = new Date(2025, 0, 31, 14, 5, 9);
    expect(timestamp(d)).toBe('20250131-140509');
    expect(defaultRunDir('heads', '/x', d)).toBe(path.join('/x', 'runs', 'heads-20250131-140509'));
  });

  it('appends metrics and drops a line cut by a kill', () => {
    const run = new RunDir(fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-run-')));
    run.logMetric({ kind: 'epoch', epoch: 1, loss: 0.5 });
    fs.appendFileSync(run.file('metrics.jsonl'), '{"kind":"epo');
    const m = run.readMetrics();
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ kind: 'epoch', epoch: 1, loss: 0.5 });
    const config = { command: 'experiment', experiment: 'x', seed: 1, options: {} };
    run.writeConfig(config);
    expect(run.readConfig()).toEqual(config);
  });
});
