// Decompression bombs: a ~0.5 MB gzip whose IDX header declares (and whose stream inflates to) far more
// than the file can hold. Vitest runs each test file in its own worker process, so the process's maxRSS
// here measures these cases (and the bomb's construction, which streams) only.
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChecksumError, DEFAULT_MAX_IDX_BYTES, IdxFormatError, idxBytes, loadMnist, parseIdx } from '../index';

const RSS_LIMIT_MB = 300;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

/** gzip of an IDX header declaring [count, 28, 28], then `mib` MiB of zeros; streamed, so building it costs no memory. */
async function bomb(count: number, mib: number): Promise<Buffer> {
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

let gz: Buffer;
let dir: string;
beforeAll(async () => {
  // declares 600,000 images (470 MB) and really inflates to 512 MiB
  gz = await bomb(600_000, 512);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-bomb-'));
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz'), gz);
  fs.copyFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz'), path.join(dir, 't10k-labels-idx1-ubyte.gz'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('decompression bombs', () => {
  it('the bomb is small', () => {
    expect(gz.length).toBeLessThan(600_000);
  });

  it('loadMnist rejects it as a cached catalog file (checksum known) with a typed error', async () => {
    const error = await loadMnist({ split: 'test', root: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumError);
    expect(maxRssMb()).toBeLessThan(RSS_LIMIT_MB);
  });

  it('loadMnist rejects it with checksums off: capped at the catalog size of the file', async () => {
    const error = await loadMnist({ split: 'test', root: dir, checksums: { 't10k-images-idx3-ubyte.gz': null, 't10k-labels-idx1-ubyte.gz': null } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IdxFormatError);
    expect((error as IdxFormatError).reason).toBe('too-large');
    expect((error as Error).message).toMatch(/declares 470400016 bytes, more than the 7840016/);
    expect(maxRssMb()).toBeLessThan(RSS_LIMIT_MB);
  });

  it('parseIdx and idxBytes refuse an unknown file whose header declares more than the default cap', () => {
    for (const f of [() => parseIdx(gz, { name: 'bomb' }), () => idxBytes(gz, 'bomb')]) {
      const e = (() => {
        try {
          f();
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(IdxFormatError);
      expect((e as IdxFormatError).reason).toBe('too-large');
    }
    expect(maxRssMb()).toBeLessThan(RSS_LIMIT_MB);
  });

  it('a header that understates the payload stops the stream at the declared size', async () => {
    const small = await bomb(1000, 256); // declares 784,016 bytes, inflates to 256 MiB
    expect(() => parseIdx(small, { maxBytes: 1000 })).toThrow(/declares 784016 bytes, more than the 1000/);
    expect(() => parseIdx(small, { maxBytes: DEFAULT_MAX_IDX_BYTES })).toThrow(/more than the 784016 bytes its IDX header declares/);
    console.log(`bomb: ${gz.length} byte gzip declaring 470 MB and inflating to 512 MiB; peak RSS of this worker ${maxRssMb().toFixed(0)} MB`);
    expect(maxRssMb()).toBeLessThan(RSS_LIMIT_MB);
  });
});
