// Run by writers.test.ts as several `node --import tsx` processes writing checkpoints into one folder at
// once (the race is between processes: each removes stale temp files, and must not remove a live one).
// Args: <dir> <writer id> <writes>. Prints one JSON line: writes done, typed errors, raw errors, torn reads.
import { LogitlabError } from '@logitlab/core';
import { checkpointName, listCheckpoints } from '../checkpoint';
import { fileStorage } from './file-storage';

const SIZE = 256 * 1024;

/** A payload that names its writer and sequence number and whose every byte follows from them. */
export function payload(id: number, seq: number): Uint8Array {
  const out = new Uint8Array(SIZE);
  const view = new DataView(out.buffer);
  view.setUint32(0, id);
  view.setUint32(4, seq);
  for (let i = 8; i < SIZE; i++) out[i] = (i * 31 + id * 7 + seq) & 0xff;
  return out;
}

/** Whether `bytes` is exactly one writer's whole payload. */
export function whole(bytes: Uint8Array): boolean {
  if (bytes.length !== SIZE) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expected = payload(view.getUint32(0), view.getUint32(4));
  return expected.every((b, i) => bytes[i] === b);
}

async function main(): Promise<void> {
  const [dir, idText, countText] = process.argv.slice(2);
  const id = Number(idText);
  const storage = fileStorage(dir as string);
  const result = { id, writes: 0, typed: [] as string[], raw: [] as string[], torn: 0 };
  for (let seq = 0; seq < Number(countText); seq++) {
    try {
      // the epochs overlap between writers: several processes rename onto the same names
      await storage.write(checkpointName('checkpoint', seq), payload(id, seq));
      result.writes++;
      const names = await listCheckpoints(storage);
      for (const old of names.slice(0, Math.max(0, names.length - 2))) await storage.remove(old);
      const newest = names.at(-1);
      if (newest !== undefined) {
        const bytes = await storage.read(newest).catch((e: unknown) => {
          if (e instanceof LogitlabError) return undefined; // another writer pruned it between list and read
          throw e;
        });
        if (bytes && !whole(bytes)) result.torn++;
      }
    } catch (e) {
      (e instanceof LogitlabError ? result.typed : result.raw).push(`${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) await main();
