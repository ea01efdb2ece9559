import { spawnSync } from 'node:child_process';
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

/** A pid that no process holds: a child that has exited (pids are not reused within a test's seconds). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid as number;
}

describe('removeStaleTemps', () => {
  it("removes a killed writer's temp files of that target only, never a live writer's", async () => {
    const file = path.join(dir, 'ckpt');
    const dead = deadPid();
    const now = Date.now();
    const names = {
      deadWriter: `.ckpt.${dead}.${now}.0a1b2c3d.tmp`,
      deadLegacy: `.ckpt.${dead}.0a1b2c3d.tmp`, // the earlier form, without a start time
      liveWriter: `.ckpt.${process.pid}.${now}.0a1b2c3d.tmp`,
      liveButOld: `.ckpt.${process.pid}.${now - 2 * 3600_000}.0a1b2c3d.tmp`,
      otherTarget: `.ckpt.x.${dead}.${now}.0a1b2c3d.tmp`,
    };
    for (const n of ['ckpt', 'other', ...Object.values(names)]) fs.writeFileSync(path.join(dir, n), '');
    await removeStaleTemps(file);
    expect(fs.readdirSync(dir).sort()).toEqual([names.liveWriter, names.otherTarget, 'ckpt', 'other'].sort()); // oxlint-disable-line unicorn/no-array-sort
    // past the age bound a live pid's file goes too (the pid may have been reused)
    await removeStaleTemps(file, { maxAgeMs: 1000, now: now + 5000 });
    expect(fs.readdirSync(dir).sort()).toEqual([names.otherTarget, 'ckpt', 'other'].sort()); // oxlint-disable-line unicorn/no-array-sort
  });

  it("ages a live pid's temp file of the earlier name form by its mtime", async () => {
    const file = path.join(dir, 'ckpt');
    const legacy = path.join(dir, `.ckpt.${process.pid}.0a1b2c3d.tmp`);
    fs.writeFileSync(legacy, '');
    await removeStaleTemps(file);
    expect(fs.existsSync(legacy)).toBe(true);
    const old = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(legacy, old, old);
    await removeStaleTemps(file);
    expect(fs.existsSync(legacy)).toBe(false);
  });

  it('names its temp files with the pid and the start time', async () => {
    const file = path.join(dir, 'slow');
    // a write over a directory fails at the rename: catch the temp name from the error's cause
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'keep'), '');
    const err = (await writeFileAtomic(file, 'x').catch((e: unknown) => e)) as AtomicWriteError;
    const cause = String((err.cause as Error).message);
    expect(cause).toMatch(new RegExp(`\\.slow\\.${process.pid}\\.\\d{13}\\.[0-9a-f]{8}\\.tmp`));
  });
});
