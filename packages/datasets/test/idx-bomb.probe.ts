// Run by bomb.test.ts in a fresh `node --import tsx` process, so that the process's peak RSS measures the
// bombs alone (a vitest worker may have run other files before). Prints one JSON line.
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { encodeMnist, idxBytes, loadMnist, parseIdx, syntheticDigits } from '../src/index';

/** gzip of an IDX header declaring [count, 28, 28], then `mib` MiB of zeros; streamed, so building it costs no memory. */
export async function bomb(count: number, mib: number): Promise<Buffer> {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x00000803, 0);
  header.writeUInt32BE(count, 4);
  header.writeUInt32BE(28, 8);
  header.writeUInt32BE(28, 12);
  const gz = zlib.createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gz.on('data', (b: Buffer) => parts.push(b));
  gz.write(header);
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < mib; i++) if (!gz.write(zeros)) await once(gz, 'drain');
  gz.end();
  await once(gz, 'end');
  return Buffer.concat(parts);
}

async function outcome(f: () => unknown): Promise<string> {
  try {
    await f();
    return 'ok';
  } catch (e) {
    const err = e as Error & { reason?: string };
    return `${err.name}${err.reason ? `:${err.reason}` : ''}: ${err.message}`;
  }
}

async function main(): Promise<void> {
  const startMb = process.resourceUsage().maxRSS / 1024;
  // declares 600,000 images (470 MB) and really inflates to 512 MiB
  const gz = await bomb(600_000, 512);
  // declares 1,000 images (784 kB) but inflates to 256 MiB
  const understated = await bomb(1000, 256);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-bomb-'));
  try {
    // the bomb as the images; small valid labels, so that loading reaches the images' decode
    fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz'), gz);
    fs.writeFileSync(
      path.join(dir, 't10k-labels-idx1-ubyte.gz'),
      encodeMnist(syntheticDigits({ count: 10, seed: 0 }), { gzip: true }).labels,
    );
    const unverified = { 't10k-images-idx3-ubyte.gz': null, 't10k-labels-idx1-ubyte.gz': null };
    const results = {
      bytes: gz.length,
      cachedWithChecksum: await outcome(() => loadMnist({ split: 'test', root: dir })),
      cachedUnverified: await outcome(() => loadMnist({ split: 'test', root: dir, checksums: unverified })),
      parseIdx: await outcome(() => parseIdx(gz, { name: 'bomb' })),
      idxBytes: await outcome(() => idxBytes(gz, 'bomb')),
      understated: await outcome(() => parseIdx(understated, { name: 'understated' })),
      startMb,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
    console.log(JSON.stringify(results));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
