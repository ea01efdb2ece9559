import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtomicWriteError, LogitlabError } from '@logitlab/core';
import { removeStaleTemps, writeFileAtomic, writeFileAtomicSync } from '@logitlab/core/node';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-core-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

for (const [name, write] of [
  ['writeFileAtomic', writeFileAtomic],
  ['writeFileAtomicSync', async (...args: Parameters<typeof writeFileAtomicSync>) => writeFileAtomicSync(...args)],
] as const) {
  describe(name, () => {
    it('writes, replaces, and creates missing parents, leaving no temp file', async () => {
      const file = path.join(dir, 'a', 'b', 'x.json');
      await write(file, '{"v":1}');
      await write(file, new Uint8Array([1, 2, 3]));
      expect(Array.from(fs.readFileSync(file))).toEqual([1, 2, 3]);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['x.json']);
    });

    it('fails with a typed error naming path and purpose, keeps the target and removes the temp file', async () => {
      // renaming a file over a non-empty directory fails after the temp file was written
      const file = path.join(dir, 'target');
      fs.mkdirSync(file);
      fs.writeFileSync(path.join(file, 'keep'), 'old');
      const err = await write(file, 'new', { purpose: 'checkpoint' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AtomicWriteError);
      expect(err).toBeInstanceOf(LogitlabError);
      const e = err as AtomicWriteError;
      expect(e.stage).toBe('rename');
      expect(e.path).toBe(file);
      expect(e.message).toContain(`while writing checkpoint ${file}`);
      expect(fs.readdirSync(dir)).toEqual(['target']);
      expect(fs.readFileSync(path.join(file, 'keep'), 'utf8')).toBe('old');
    });

    it('names a parent that is a file', async () => {
      fs.writeFileSync(path.join(dir, 'plain'), '');
      const file = path.join(dir, 'plain', 'x');
      await expect(write(file, 'x', { purpose: 'report' })).rejects.toThrow(/while writing report .*plain[/\\]x/);
    });
  });
}

describe('AtomicWriteError', () => {
  it('spells out a full disk', () => {
    const e = new AtomicWriteError('/runs/a/ckpt.bin', 'checkpoint', 'write', 'ENOSPC');
    expect(e.message).toBe('disk full (ENOSPC) while writing checkpoint /runs/a/ckpt.bin');
    expect(e.name).toBe('AtomicWriteError');
  });
});

describe('removeStaleTemps', () => {
  it("removes a killed writer's temp files of that target only", async () => {
    const file = path.join(dir, 'ckpt');
    for (const n of ['ckpt', '.ckpt.123.0a1b2c3d.tmp', '.ckpt.x.123.0a1b2c3d.tmp', 'other']) fs.writeFileSync(path.join(dir, n), '');
    await removeStaleTemps(file);
    expect(fs.readdirSync(dir).sort()).toEqual(['.ckpt.x.123.0a1b2c3d.tmp', 'ckpt', 'other']); // oxlint-disable-line unicorn/no-array-sort
  });
});
