import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError, encodeMnist, IdxFormatError, loadMnist, syntheticDigits } from '../index';
import type { FetchLike } from '../index';

const IMAGES = 't10k-images-idx3-ubyte.gz';
const tempDirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-store-'));
  tempDirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Serves synthetic files without a network, so a download reaches the store's write. */
function fakeFetch(): FetchLike {
  const { images, labels } = encodeMnist(syntheticDigits({ count: 5, seed: 1 }), { gzip: true });
  return async (url: string) => new Response((url.endsWith(IMAGES) ? images : labels) as Uint8Array<ArrayBuffer>);
}
const unverified = { [IMAGES]: null, 't10k-labels-idx1-ubyte.gz': null };

async function errorOf(p: Promise<unknown>): Promise<DataFileError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataFileError);
  return e as DataFileError;
}

describe('file-system faults in loadMnist become DataFileError naming the path', () => {
  it('ENOTDIR: the data directory is a file', async () => {
    const file = path.join(tempDir(), 'not-a-dir');
    fs.writeFileSync(file, 'x');
    const e = await errorOf(loadMnist({ split: 'test', root: file }));
    expect(e.code).toBe('ENOTDIR');
    expect(e.path).toBe(path.join(file, IMAGES));
    expect(e.message).toContain(path.join(file, IMAGES));
    expect(e.message).toMatch(/a part of the path is a file, not a directory \(ENOTDIR\)/);
  });

  it('EISDIR: a data file is a directory', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, IMAGES));
    const e = await errorOf(loadMnist({ split: 'test', root }));
    expect(e.code).toBe('EISDIR');
    expect(e.message).toContain(path.join(root, IMAGES));
  });

  it('ELOOP: a data file is a symlink loop', async () => {
    const root = tempDir();
    fs.symlinkSync(path.join(root, IMAGES), path.join(root, IMAGES));
    const e = await errorOf(loadMnist({ split: 'test', root }));
    expect(e.code).toBe('ELOOP');
    expect(e.message).toMatch(/symbolic links/);
  });

  it.skipIf(process.getuid?.() === 0)('EACCES: a data file cannot be read (skipped as root, which reads anything)', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, IMAGES), 'x');
    fs.chmodSync(path.join(root, IMAGES), 0);
    const e = await errorOf(loadMnist({ split: 'test', root }));
    expect(e.code).toBe('EACCES');
  });

  it(
    'refuses a data directory on procfs or sysfs at once (a recursive mkdir under /proc/self spins forever)',
    { timeout: 10_000 },
    async () => {
      const saved = process.env.LOGITLAB_DATA_DIR;
      try {
        process.env.LOGITLAB_DATA_DIR = '/proc/self';
        const e = await errorOf(loadMnist({ split: 'test', download: true, fetch: fakeFetch(), checksums: unverified }));
        expect(e.path).toBe('/proc/self/mnist');
        expect(e.message).toMatch(/refusing data directory \/proc\/self\/mnist: .*procfs/);
      } finally {
        if (saved === undefined) delete process.env.LOGITLAB_DATA_DIR;
        else process.env.LOGITLAB_DATA_DIR = saved;
      }
      for (const root of ['/proc/self/fd/x', '/sys/kernel/logitlab']) {
        await errorOf(loadMnist({ split: 'test', root, download: true, fetch: fakeFetch(), checksums: unverified }));
      }
    },
  );

  it('a symlink into /proc is refused too', async () => {
    const link = path.join(tempDir(), 'data');
    fs.symlinkSync('/proc/self', link);
    const e = await errorOf(loadMnist({ split: 'test', root: path.join(link, 'mnist') }));
    expect(e.message).toMatch(/procfs/);
  });

  it('a FIFO under a data file name is refused instead of blocking the read forever', { timeout: 10_000 }, async () => {
    const root = tempDir();
    execFileSync('mkfifo', [path.join(root, IMAGES)]);
    const e = await errorOf(loadMnist({ split: 'test', root }));
    expect(e.message).toMatch(/not a regular file/);
  });

  it('a cached file larger than the catalog allows is refused before it is read', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 't10k-labels-idx1-ubyte.gz'), Buffer.alloc(20_000));
    const e = await loadMnist({ split: 'test', root }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(IdxFormatError);
    expect((e as IdxFormatError).reason).toBe('too-large');
    expect((e as Error).message).toMatch(/20000 bytes, more than the 11043 this file may have/);
  });

  it('a download still lands in a normal directory, leaving no temp file', async () => {
    const root = path.join(tempDir(), 'new', 'dir');
    const set = await loadMnist({ split: 'test', root, download: true, fetch: fakeFetch(), checksums: unverified });
    expect(set.count).toBe(5);
    const names = fs.readdirSync(root);
    // oxlint-disable-next-line unicorn/no-array-sort -- sorts the fresh array readdirSync returned
    expect(names.sort()).toEqual([IMAGES, 't10k-labels-idx1-ubyte.gz']);
  });
});
