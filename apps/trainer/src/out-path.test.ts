import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidJsonFileError, readJson } from './fsutil';
import { AtomicWriteError } from '@logitlab/core';
import { OutputPathError, asOutputError, asTopLevelError, checkOutDir, isPseudoFsPath } from './out-path';
import { RunDir } from './run-dir';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-out-'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function thrown(f: () => unknown): OutputPathError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OutputPathError);
    return e as OutputPathError;
  }
  throw new Error('expected an OutputPathError');
}

describe('--out checks, before any work starts', () => {
  it('refuses /proc and /sys (recursive mkdir on procfs never returns)', () => {
    for (const dir of ['/proc/self/run', '/proc', '/sys/kernel/x']) {
      const e = thrown(() => checkOutDir(dir));
      expect(e.message).toMatch(/kernel pseudo file system/);
      expect(e.message).toContain(dir);
    }
  });

  it('names the file that is in the way (ENOTDIR), at the path or above it', () => {
    const d = tmp();
    const file = path.join(d, 'plain');
    fs.writeFileSync(file, 'x');
    expect(thrown(() => checkOutDir(file)).message).toMatch(/it is a file, not a directory/);
    const below = thrown(() => checkOutDir(path.join(file, 'run')));
    expect(below.code).toBe('ENOTDIR');
    expect(below.message).toContain(path.join(file, 'run'));
  });

  it('names a symbolic-link loop (ELOOP)', () => {
    const d = tmp();
    fs.symlinkSync(path.join(d, 'b'), path.join(d, 'a'));
    fs.symlinkSync(path.join(d, 'a'), path.join(d, 'b'));
    const e = thrown(() => checkOutDir(path.join(d, 'a', 'run')));
    expect(e.code).toBe('ELOOP');
    expect(e.message).toMatch(/symbolic-link loop/);
  });

  it.skipIf(isRoot)('names a directory it may not write (EACCES)', () => {
    const d = tmp();
    fs.chmodSync(d, 0o500);
    expect(thrown(() => checkOutDir(path.join(d, 'run'))).message).toMatch(/not writable/);
  });

  it('accepts a new directory under a writable one, without creating it', () => {
    const d = tmp();
    expect(checkOutDir(path.join(d, 'x', 'y'))).toBe(path.join(d, 'x', 'y'));
    expect(fs.existsSync(path.join(d, 'x'))).toBe(false);
  });
});

describe('run directories', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('appear on disk only with the first output, config.json first', () => {
    const dir = path.join(tmp(), 'run');
    const run = new RunDir(dir);
    const config = { command: 'experiment', experiment: 'x', seed: 0, options: {} };
    run.writeConfig(config);
    expect(fs.existsSync(dir)).toBe(false); // data not loaded yet: nothing --resume could accept
    expect(run.resumable).toBe(false);
    run.logMetric({ type: 'epoch', epoch: 0 });
    expect(run.resumable).toBe(true);
    expect(run.readConfig()).toEqual(config);
  });

  it('a part of a tour makes the tour directory resumable first', () => {
    const base = path.join(tmp(), 'tour');
    const tour = new RunDir(base);
    tour.writeConfig({ experiment: 'tour' });
    new RunDir(path.join(base, 'heads'), tour).writeFile('a.txt', 'x');
    expect(tour.resumable).toBe(true);
  });

  it('a full disk is a typed error naming the file, and leaves no hidden temp file', () => {
    const dir = tmp();
    const run = new RunDir(dir);
    run.writeConfig({ experiment: 'x' });
    run.ensure();
    vi.spyOn(fs, 'writeFileSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    });
    const e = (() => {
      try {
        run.writeFile('figure.png', new Uint8Array(10));
      } catch (err) {
        return err as AtomicWriteError;
      }
      throw new Error('expected a failure');
    })();
    expect(e).toBeInstanceOf(AtomicWriteError);
    expect(e.code).toBe('ENOSPC');
    expect(e.message).toContain(path.join(dir, 'figure.png'));
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json']); // oxlint-disable-line unicorn/no-array-sort
  });

  it('a raw errno error (a checkpoint write) at the top names the path', () => {
    const raw = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    const e = asOutputError(raw, '/runs/a', 'into the run directory') as OutputPathError;
    expect(e).toBeInstanceOf(OutputPathError);
    expect(e.message).toBe("cannot write into the run directory '/runs/a': no space left on the device (ENOSPC)");
  });

  it('an invalid config.json names the file', () => {
    const file = path.join(tmp(), 'config.json');
    fs.writeFileSync(file, '{"experiment": "heads",');
    expect(() => readJson(file)).toThrow(InvalidJsonFileError);
    expect(() => readJson(file)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON`));
  });
});

describe('errors that reach the top of the CLI', () => {
  it('a raw error on a path outside the run (a data file) names it as unusable, not as a failed run write', () => {
    const raw = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), {
      code: 'EISDIR',
      syscall: 'read',
      path: '/data/mnist/t10k-images-idx3-ubyte.gz',
    });
    const e = asTopLevelError(raw, '/runs/a') as OutputPathError;
    expect(e).toBeInstanceOf(OutputPathError);
    expect(e.message).toBe("cannot use '/data/mnist/t10k-images-idx3-ubyte.gz': it is a directory, not a file (EISDIR)");
    const inRun = asTopLevelError(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'write' }), '/runs/a') as OutputPathError;
    expect(inRun.message).toContain("into the run directory '/runs/a'");
  });

  it('knows the pseudo file systems LOGITLAB_DATA_DIR must not point at', () => {
    expect(isPseudoFsPath('/proc/self')).toBe(true);
    expect(isPseudoFsPath('/sys')).toBe(true);
    expect(isPseudoFsPath('/processed')).toBe(false);
  });
});
