import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetInputError, DownloadError, encodeMnist, IdxFormatError, loadMnist, sha256Hex, syntheticDigits } from '../index';
import type { FileChecksum, LoadMnistOptions } from '../index';
import { startTestServer } from './test-server';
import type { Fault, TestServer } from './test-server';

// Synthetic files under the MNIST test-split names, with their own digests: no shared data needed.
let served: string;
let server: TestServer;
let checksums: Record<string, FileChecksum>;
const tempDirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-bounds-'));
  tempDirs.push(d);
  return d;
};

beforeAll(async () => {
  served = tempDir();
  const { images, labels } = encodeMnist(syntheticDigits({ count: 40, seed: 3 }), { gzip: true });
  checksums = {};
  for (const [name, bytes] of [
    ['t10k-images-idx3-ubyte.gz', images],
    ['t10k-labels-idx1-ubyte.gz', labels],
  ] as const) {
    fs.writeFileSync(path.join(served, name), bytes);
    checksums[name] = { sha256: [await sha256Hex(bytes)] };
  }
  server = await startTestServer(served);
});
afterAll(async () => {
  await server.close();
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

function load(mirrors: string[], extra: Partial<LoadMnistOptions> = {}) {
  const root = tempDir();
  const promise = loadMnist({
    split: 'test',
    root,
    download: true,
    mirrors,
    checksums,
    timeoutMs: 300,
    deadlineMs: 600,
    retries: 1,
    backoffMs: 5,
    onWarning: () => undefined,
    ...extra,
  });
  return { root, promise };
}

async function expectFailure(faults: Fault[], message: RegExp, extra: Partial<LoadMnistOptions> = {}): Promise<number> {
  const t0 = performance.now();
  const { root, promise } = load(
    faults.map((f) => server.url(f)),
    extra,
  );
  const error = await promise.catch((e: unknown) => e);
  expect(error, faults.join()).toBeInstanceOf(DownloadError);
  expect((error as Error).message).toMatch(message);
  expect(fs.readdirSync(root)).toEqual([]);
  return performance.now() - t0;
}

describe('downloads are bounded in time and bytes', () => {
  it(
    'a server dripping a byte every 50 ms (never idle for the 3 s timeout) hits the 6 s deadline, not retried',
    { timeout: 60_000 },
    async () => {
      const before = server.hits.get('drip') ?? 0;
      // seconds, not the 300 / 600 ms of the other cases: a busy machine (load 38 on 2 cores) took over 300 ms to answer
      const ms = await expectFailure(['drip'], /not finished within the 6000 ms deadline \(\d+ bytes received\)/, {
        timeoutMs: 3000,
        deadlineMs: 6000,
      });
      expect(ms).toBeLessThan(30_000);
      // deadline-exceeded skips the mirror: one request for the first file, then the run stops
      expect((server.hits.get('drip') ?? 0) - before).toBe(1);
    },
  );

  it(
    'a dripping mirror is abandoned by the low-speed limit (scaled down here: 1024 bytes/s over 1 s), long before its deadline',
    { timeout: 60_000 },
    async () => {
      const before = server.hits.get('drip') ?? 0;
      // the 60 s deadline is what used to stop a drip (10 minutes by default); the idle timeout never fires
      // (10 s here, so that a busy machine's late timers cannot make it the one that does)
      const limits = { timeoutMs: 10_000, deadlineMs: 60_000, speedLimit: 1024, speedTimeMs: 1000 };
      const t0 = performance.now();
      const { root, promise } = load([server.url('drip')], limits);
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadError);
      expect((error as Error).message).toMatch(
        /too slow: \d+\.\d bytes\/s over the last 1000 ms, under the 1024 bytes\/s limit \(\d+ bytes received\)/,
      );
      expect(fs.readdirSync(root)).toEqual([]);
      expect(performance.now() - t0).toBeLessThan(30_000); // about 1 s; the bound leaves room for a busy machine
      expect((server.hits.get('drip') ?? 0) - before).toBe(1); // skipped, not retried
      // the next mirror still serves the file under the same limits
      const ok = load([server.url('drip'), server.url('ok')], limits);
      expect((await ok.promise).count).toBe(40);
    },
  );

  it('refuses limits that are not positive numbers', async () => {
    for (const bad of [{ speedLimit: -1 }, { speedLimit: NaN }, { speedTimeMs: 0 }, { deadlineMs: Infinity }, { timeoutMs: -5 }]) {
      const error = await load([server.url('ok')], bad).promise.catch((e: unknown) => e);
      expect(error, JSON.stringify(bad)).toBeInstanceOf(DatasetInputError);
    }
  });

  it('an endless body stops at the file cap', { timeout: 60_000 }, async () => {
    // the cap, not the 600 ms deadline, must stop it: a busy machine reads the 8 MB cap slower than that
    await expectFailure(['endless'], /body exceeds the \d+-byte cap for t10k-images-idx3-ubyte\.gz/, { deadlineMs: 60_000 });
  });

  it('a Content-Length over the cap is refused before the body is read', { timeout: 60_000 }, async () => {
    await expectFailure(['huge-length'], /Content-Length 1000000000000 exceeds the \d+-byte cap/);
  });

  it('falls through each bounded failure to a good mirror', { timeout: 60_000 }, async () => {
    const { promise } = load([server.url('drip'), server.url('endless'), server.url('huge-length'), server.url('ok')]);
    expect((await promise).count).toBe(40);
  });
});

/** Records the URLs asked for and answers 404, so no network is touched. */
function fakeFetch() {
  const urls: string[] = [];
  const fetch = async (url: string) => {
    urls.push(url);
    return new Response('no', { status: 404 });
  };
  return { urls, fetch };
}

describe('plain-http mirrors', () => {
  it('are skipped, without a request, for a file with no known checksum', async () => {
    const { urls, fetch } = fakeFetch();
    const { promise } = load(['http://mirror.example/mnist/', 'https://secure.example/mnist/'], {
      fetch,
      checksums: { 't10k-images-idx3-ubyte.gz': null, 't10k-labels-idx1-ubyte.gz': null },
    });
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(
      /http:\/\/mirror\.example\/mnist\/t10k-images-idx3-ubyte\.gz: skipped: plain http without a known checksum/,
    );
    expect(urls).toEqual(['https://secure.example/mnist/t10k-images-idx3-ubyte.gz']);
  });

  it('are used when the checksum is known (the digest protects the bytes)', async () => {
    const { urls, fetch } = fakeFetch();
    const { promise } = load(['http://mirror.example/mnist/'], { fetch });
    await promise.catch(() => undefined);
    expect(urls).toEqual(['http://mirror.example/mnist/t10k-images-idx3-ubyte.gz']);
  });
});

describe('browser store served from a root URL', () => {
  it('refuses an endless body at the file cap instead of reading it all', { timeout: 60_000 }, async () => {
    const { browserStore } = await import('./browser-store');
    const store = browserStore('mnist', server.url('endless'));
    const error = await store.read('t10k-labels-idx1-ubyte.gz', 11_043).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect((error as IdxFormatError).reason).toBe('too-large');
    const ok = browserStore('mnist', server.url('ok'));
    expect((await ok.read('t10k-labels-idx1-ubyte.gz', 11_043))?.length).toBe(
      fs.statSync(path.join(served, 't10k-labels-idx1-ubyte.gz')).size,
    );
  });
});
