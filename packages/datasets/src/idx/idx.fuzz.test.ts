import { describe, expect, it } from 'vitest';
import { decodeMnist, encodeMnist, IdxFormatError, parseIdx, syntheticDigits, writeIdx } from '../index';
import { Rng } from '@logitlab/core';

/** Mutations a disk, a network or an attacker produces. */
function mutate(bytes: Uint8Array, rng: Rng): { kind: string; bytes: Uint8Array } {
  const out = bytes.slice();
  switch (rng.int(6)) {
    case 0:
      return { kind: 'truncate', bytes: out.subarray(0, rng.int(out.length)) };
    case 1: {
      const flips = 1 + rng.int(4);
      for (let i = 0; i < flips; i++) {
        const at = rng.int(out.length);
        out[at] = (out[at] as number) ^ (1 << rng.int(8));
      }
      return { kind: 'bit-flip', bytes: out };
    }
    case 2: {
      const at = rng.int(Math.min(out.length, 40));
      out[at] = rng.int(256);
      return { kind: 'header-byte', bytes: out };
    }
    case 3: {
      // huge declared dimension in a raw header
      if (out.length >= 16 && out[0] === 0)
        new DataView(out.buffer).setUint32(4 + 4 * rng.int(Math.min(3, out[3] ?? 1)), 0xffffffff - rng.int(1000), false);
      return { kind: 'huge-dim', bytes: out };
    }
    case 4: {
      const extra = new Uint8Array(out.length + 1 + rng.int(32));
      extra.set(out);
      for (let i = out.length; i < extra.length; i++) extra[i] = rng.int(256);
      return { kind: 'append', bytes: extra };
    }
    default: {
      const junk = new Uint8Array(rng.int(200));
      for (let i = 0; i < junk.length; i++) junk[i] = rng.int(256);
      if (junk.length > 2 && rng.next() < 0.5) junk.set([0x1f, 0x8b, 8]);
      return { kind: 'garbage', bytes: junk };
    }
  }
}

describe('IDX parser fuzz (seeded)', () => {
  it('only ever returns or throws IdxFormatError, quickly, on thousands of corrupt inputs', () => {
    const set = syntheticDigits({ count: 20, seed: 4 });
    const raw = encodeMnist(set);
    const gz = encodeMnist(set, { gzip: true });
    const bases = [raw.images, raw.labels, gz.images, gz.labels, writeIdx({ data: new Int32Array([1, -2, 3]), shape: [3] })];
    const rng = new Rng(20240601);
    const seen = new Map<string, number>();
    const t0 = performance.now();
    const memBefore = process.memoryUsage().arrayBuffers;
    let maxArrayBuffers = memBefore;
    for (let i = 0; i < 3000; i++) {
      const base = bases[rng.int(bases.length)] as Uint8Array;
      const { kind, bytes } = mutate(base, rng);
      let outcome = 'ok';
      try {
        const parsed = parseIdx(bytes, { name: `case ${i} (${kind})` });
        // a successful parse is internally consistent
        expect(parsed.data.length).toBe(parsed.shape.reduce((a, b) => a * b, 1));
      } catch (e) {
        if (!(e instanceof IdxFormatError)) throw new Error(`case ${i} (${kind}) threw ${String(e)}`, { cause: e });
        outcome = e.reason;
      }
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      if (i % 100 === 0) maxArrayBuffers = Math.max(maxArrayBuffers, process.memoryUsage().arrayBuffers);
    }
    const ms = performance.now() - t0;
    console.log(`fuzz: 3000 cases in ${ms.toFixed(0)} ms, outcomes ${JSON.stringify(Object.fromEntries(seen))}`);
    expect(maxArrayBuffers - memBefore).toBeLessThan(256 * 1024 * 1024);
    for (const reason of ['truncated', 'bad-magic', 'trailing-bytes', 'corrupt-gzip']) expect(seen.get(reason) ?? 0).toBeGreaterThan(0);
  });

  it('decodeMnist on corrupt pairs throws only IdxFormatError', () => {
    const set = syntheticDigits({ count: 10, seed: 9 });
    const gz = encodeMnist(set, { gzip: true });
    const rng = new Rng(7);
    for (let i = 0; i < 300; i++) {
      const which = rng.int(2);
      const images = which === 0 ? mutate(gz.images, rng).bytes : gz.images;
      const labels = which === 1 ? mutate(gz.labels, rng).bytes : gz.labels;
      try {
        const out = decodeMnist(images, labels);
        expect(out.labels.length).toBe(out.count);
      } catch (e) {
        expect(e).toBeInstanceOf(IdxFormatError);
      }
    }
  });
});
