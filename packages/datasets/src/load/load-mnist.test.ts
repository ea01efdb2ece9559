import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChecksumError, DataNotFoundError, defaultDataDir, DownloadError, IdxFormatError, loadMnist, parseIdx } from '../index';
import type { DownloadProgress, LoadMnistOptions } from '../index';
import { Rng } from '@logitlab/core';
import { startTestServer } from './test-server';
import type { Fault, TestServer } from './test-server';

const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const mnistDir = path.resolve(repoRoot, '../shared/data/mnist');
const haveMnist =
  fs.existsSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz')) && fs.existsSync(path.join(mnistDir, 't10k-labels-idx1-ubyte.gz'));
if (!haveMnist) console.warn(`SKIPPED: real-MNIST loader tests need ${mnistDir}/t10k-{images-idx3,labels-idx1}-ubyte.gz`);

const FIRST_LABELS = [7, 2, 1, 0, 4, 1, 4, 9];

/** After any outcome the cache holds complete verified files or nothing: no temp or partial file. */
function expectCleanCache(root: string, expectFiles: boolean) {
  const names = fs.readdirSync(root);
  names.sort(); // oxlint-disable-line unicorn/no-array-sort
  expect(names).toEqual(expectFiles ? ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'] : []);
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-datasets-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('loadMnist default fetch', () => {
  it('calls the global fetch with the global object as `this` (browsers throw "Illegal invocation" otherwise)', async () => {
    const saved = globalThis.fetch;
    const thisValues: unknown[] = [];
    // A browser-like fetch: it refuses any receiver but the global object.
    globalThis.fetch = function (this: unknown) {
      thisValues.push(this);
      if (this !== globalThis) return Promise.reject(new TypeError('Illegal invocation'));
      return Promise.resolve(new Response('missing', { status: 404 }));
    } as typeof fetch;
    try {
      const error = await loadMnist({ split: 'test', root: tempDir(), download: true, retries: 0, mirrors: ['http://127.0.0.1:9/'] }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DownloadError);
      expect(thisValues.length).toBeGreaterThan(0);
      expect(thisValues.every((t) => t === globalThis)).toBe(true);
    } finally {
      globalThis.fetch = saved;
    }
  });
});

describe('loadMnist offline', () => {
  it('says where it looked and how to get data when nothing is there', async () => {
    const root = tempDir();
    const error = await loadMnist({ variant: 'mnist', split: 'test', root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain(path.join(root, 't10k-images-idx3-ubyte.gz'));
    expect(message).toContain('download: true');
    expect(message).toContain('--download');
    expect(message).toContain('syntheticDigits');
    expect((error as DataNotFoundError).looked).toHaveLength(2);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('picks the default directory from LOGITLAB_DATA_DIR, then XDG_CACHE_HOME, then ~/.cache', async () => {
    const saved = { a: process.env.LOGITLAB_DATA_DIR, b: process.env.XDG_CACHE_HOME };
    try {
      delete process.env.LOGITLAB_DATA_DIR;
      process.env.XDG_CACHE_HOME = '/tmp/xdg-test';
      expect(await defaultDataDir('kmnist')).toBe('/tmp/xdg-test/logitlab/kmnist');
      process.env.LOGITLAB_DATA_DIR = '/tmp/ll-data';
      expect(await defaultDataDir('mnist')).toBe('/tmp/ll-data/mnist');
      delete process.env.LOGITLAB_DATA_DIR;
      delete process.env.XDG_CACHE_HOME;
      expect(await defaultDataDir('mnist')).toBe(path.join(os.homedir(), '.cache', 'logitlab', 'mnist'));
    } finally {
      for (const [k, v] of [
        ['LOGITLAB_DATA_DIR', saved.a],
        ['XDG_CACHE_HOME', saved.b],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe.skipIf(!haveMnist)('loadMnist with the real MNIST test set', () => {
  it('loads 10,000 test digits from root with the known first labels', async () => {
    const set = await loadMnist({ variant: 'mnist', split: 'test', root: path.relative(process.cwd(), mnistDir) });
    expect(set).toMatchObject({ count: 10000, height: 28, width: 28, variant: 'mnist', split: 'test' });
    expect(Array.from(set.labels.subarray(0, 8))).toEqual(FIRST_LABELS);
    expect(set.images).toBeInstanceOf(Float32Array);
    expect(set.images.length).toBe(10000 * 784);
    let max = 0;
    for (const v of set.images) max = Math.max(max, v);
    expect(max).toBe(1);
  });

  it('rejects a cached file that fails its checksum, and replaces it when downloading', async () => {
    const root = tempDir();
    fs.copyFileSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz'), path.join(root, 't10k-images-idx3-ubyte.gz'));
    const labels = fs.readFileSync(path.join(mnistDir, 't10k-labels-idx1-ubyte.gz'));
    labels[labels.length - 20] = (labels[labels.length - 20] as number) ^ 1;
    fs.writeFileSync(path.join(root, 't10k-labels-idx1-ubyte.gz'), labels);
    const error = await loadMnist({ split: 'test', root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumError);
    expect((error as Error).message).toContain(path.join(root, 't10k-labels-idx1-ubyte.gz'));

    const server = await startTestServer(mnistDir);
    try {
      const warnings: string[] = [];
      const set = await loadMnist({ split: 'test', root, download: true, mirrors: [server.url('ok')], onWarning: (m) => warnings.push(m) });
      expect(Array.from(set.labels.subarray(0, 8))).toEqual(FIRST_LABELS);
      expect(warnings.join()).toMatch(/t10k-labels-idx1-ubyte.gz: SHA-256 .* downloading a fresh copy/);
      expect(server.hits.get('ok')).toBe(1); // only the bad file was fetched
      expect(fs.readFileSync(path.join(root, 't10k-labels-idx1-ubyte.gz'))).toEqual(
        fs.readFileSync(path.join(mnistDir, 't10k-labels-idx1-ubyte.gz')),
      );
    } finally {
      await server.close();
    }
  });

  it('survives random corruption of the real files with typed errors only (seeded)', () => {
    const gz = new Uint8Array(fs.readFileSync(path.join(mnistDir, 't10k-labels-idx1-ubyte.gz')));
    const rng = new Rng(99);
    for (let i = 0; i < 200; i++) {
      const bad = gz.slice(0, i % 2 ? gz.length : rng.int(gz.length));
      const at = rng.int(bad.length);
      bad[at] = (bad[at] as number) ^ (1 << rng.int(8));
      try {
        parseIdx(bad, { gzip: true });
      } catch (e) {
        expect(e).toBeInstanceOf(IdxFormatError);
      }
    }
  });
});

describe.skipIf(!haveMnist)('loadMnist downloads from a loopback server with faults', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(mnistDir);
  });
  afterAll(async () => {
    await server.close();
  });

  function run(faults: Fault[], extra: Partial<LoadMnistOptions> = {}) {
    const root = tempDir();
    const progress: DownloadProgress[] = [];
    const promise = loadMnist({
      variant: 'mnist',
      split: 'test',
      root,
      download: true,
      mirrors: faults.map((f) => server.url(f)),
      timeoutMs: 300,
      retries: 1,
      backoffMs: 5,
      onProgress: (p) => progress.push(p),
      onWarning: () => undefined,
      ...extra,
    });
    return { root, progress, promise };
  }

  async function expectSuccess(faults: Fault[]) {
    const { root, progress, promise } = run(faults);
    const set = await promise;
    expect(set.count).toBe(10000);
    expect(Array.from(set.labels.subarray(0, 8))).toEqual(FIRST_LABELS);
    expectCleanCache(root, true);
    // the run reads the files it just stored: a second load needs no network
    const again = await loadMnist({ split: 'test', root });
    expect(again.count).toBe(10000);
    return progress;
  }

  it('falls through a 404 mirror to the next, reporting progress', async () => {
    const before = server.hits.get('404') ?? 0;
    const progress = await expectSuccess(['404', 'ok']);
    // a 404 is not retried: one request per file
    expect((server.hits.get('404') ?? 0) - before).toBe(2);
    const last = progress.filter((p) => p.file === 't10k-images-idx3-ubyte.gz').at(-1);
    expect(last?.loaded).toBe(fs.statSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz')).size);
    expect(last?.total).toBe(last?.loaded);
    expect(last?.url).toBe(`${server.url('ok')}t10k-images-idx3-ubyte.gz`);
  });

  it('retries a transient 500 on the same mirror with backoff', async () => {
    const before = server.hits.get('500-once') ?? 0;
    await expectSuccess(['500-once']);
    expect((server.hits.get('500-once') ?? 0) - before).toBe(4);
  });

  it('recovers from a truncated body, a wrong checksum, a reset connection and a stalled server', async () => {
    for (const fault of ['truncate', 'corrupt', 'reset', 'stall-body', 'stall-headers'] as const) await expectSuccess([fault, 'ok']);
  });

  it('ends in a typed error and an empty cache when every mirror fails', async () => {
    const cases: Array<[Fault[], new (...args: never[]) => Error, RegExp]> = [
      [['404'], DownloadError, /HTTP 404/],
      [['truncate'], DownloadError, /truncated body|body interrupted/],
      [['reset'], DownloadError, /body interrupted/],
      [['stall-body'], DownloadError, /stalled: no data for 300 ms/],
      [['stall-headers'], DownloadError, /no response within 300 ms/],
      [['corrupt'], ChecksumError, /SHA-256 [0-9a-f]{64} matches none/],
      [['404', 'corrupt', 'truncate'], DownloadError, /404[\s\S]*SHA-256[\s\S]*(truncated|interrupted)/],
    ];
    for (const [faults, type, message] of cases) {
      const { root, promise } = run(faults);
      const error = await promise.catch((e: unknown) => e);
      expect(error, faults.join()).toBeInstanceOf(type);
      expect((error as Error).message, faults.join()).toMatch(message);
      if (error instanceof DownloadError) expect(error.attempts.length).toBeGreaterThan(0);
      expectCleanCache(root, false);
    }
  });
});
