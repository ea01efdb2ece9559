// `--data <dir>` with valid IDX files that are not the published MNIST ones (our own encodeMnist output)
// failed with ChecksumError though the help promises "<dir of IDX files>". Any valid IDX files of the
// right shapes are accepted; published files are still recognised by digest; the log says which is which.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeMnist, type ImageSet, syntheticDigits } from '@logitlab/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDigits } from './data';
import { UsageError } from './errors';
import type { ExperimentContext } from './context';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A --data directory holding `sets` under the MNIST names (train-* and t10k-*), gzipped. */
function dataDir(sets: { train?: ImageSet; test?: ImageSet }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-data-dir-'));
  dirs.push(dir);
  for (const [split, set] of Object.entries(sets)) {
    if (!set) continue;
    const { images, labels } = encodeMnist(set, { gzip: true });
    const prefix = split === 'train' ? 'train' : 't10k';
    fs.writeFileSync(path.join(dir, `${prefix}-images-idx3-ubyte.gz`), images);
    fs.writeFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte.gz`), labels);
  }
  return dir;
}

function context(dir: string, lines: string[]): ExperimentContext {
  return {
    opts: { backend: 'cpu', data: { kind: 'dir', dir }, download: false, quick: false },
    seed: 1,
    log: (l: string) => lines.push(l),
  } as unknown as ExperimentContext;
}

describe('--data <dir>', () => {
  it('accepts valid IDX files written by encodeMnist, and says they are unverified', async () => {
    const dir = dataDir({ train: syntheticDigits({ count: 60, seed: 1 }), test: syntheticDigits({ count: 20, seed: 2 }) });
    const lines: string[] = [];
    const data = await loadDigits(context(dir, lines), { trainCount: 50, testCount: 10 });
    expect(data.train.count).toBe(50);
    expect(data.test.count).toBe(10);
    expect(data.real).toBe(true);
    expect(lines.join('\n')).toMatch(
      /train-images-idx3-ubyte\.gz unverified \(not a published file: checked as IDX of 28x28 images only\), train-labels-idx1-ubyte\.gz unverified .*t10k-labels-idx1-ubyte\.gz unverified/,
    );
  });

  it('refuses IDX files of other shapes, typed and naming the directory', async () => {
    const small = syntheticDigits({ count: 20, seed: 1 });
    const px = 14 * 14;
    const tiny: ImageSet = { ...small, height: 14, width: 14, images: small.images.slice(0, small.count * px) };
    const dir = dataDir({ train: tiny, test: tiny });
    const err = await loadDigits(context(dir, []), { trainCount: 10, testCount: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(`--data: the train images in ${dir} holds 14x14 images; expected 28x28 digits`);
  });

  const shared = path.resolve('/work/shared/data/mnist');
  it.skipIf(!fs.existsSync(path.join(shared, 't10k-images-idx3-ubyte.gz')))(
    'still recognises the published files by digest (the shared MNIST test split), beside unverified ones',
    async () => {
      const dir = dataDir({ train: syntheticDigits({ count: 30, seed: 3 }) });
      for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) fs.copyFileSync(path.join(shared, f), path.join(dir, f));
      const lines: string[] = [];
      await loadDigits(context(dir, lines), { trainCount: 30, testCount: 100 });
      expect(lines.join('\n')).toMatch(
        /train-images-idx3-ubyte\.gz unverified .*t10k-images-idx3-ubyte\.gz verified \(published mnist SHA-256\)/,
      );
    },
  );
});
