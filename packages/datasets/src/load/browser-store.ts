import { IdxFormatError } from '../errors';
import type { DataStore } from './store';
import { memoryStore } from './store';

const memory = new Map<string, DataStore>();

/**
 * Browser store: the Cache API (persists across page loads) when available, else memory.
 * With `root`, files are also looked up by fetching `${root}${name}` (e.g. files served next to the app).
 */
export function browserStore(variant: string, root?: string): DataStore {
  const cacheName = `logitlab-${variant}`;
  const key = (name: string) => `https://logitlab.invalid/${variant}/${name}`;
  const caches = (globalThis as { caches?: CacheStorage }).caches;
  let base: DataStore;
  if (caches) {
    base = {
      location: `Cache API "${cacheName}"`,
      describe: (name) => `Cache API "${cacheName}" ${name}`,
      async read(name) {
        const hit = await (await caches.open(cacheName)).match(key(name));
        return hit ? new Uint8Array(await hit.arrayBuffer()) : undefined;
      },
      async write(name, bytes) {
        // put() stores the response only once the whole body is read, so no partial entry is visible
        await (
          await caches.open(cacheName)
        ).put(key(name), new Response(new Uint8Array(bytes), { headers: { 'content-type': 'application/octet-stream' } }));
      },
    };
  } else {
    base = memory.get(variant) ?? memoryStore(`memory (${variant})`);
    memory.set(variant, base);
  }
  if (!root) return base;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return {
    location: `${prefix} and ${base.location}`,
    describe: (name) => `${prefix}${name}`,
    async read(name, maxBytes) {
      const cached = await base.read(name, maxBytes);
      if (cached) return cached;
      let res: Response;
      try {
        res = await fetch(`${prefix}${name}`);
      } catch {
        return undefined;
      }
      if (!res.ok || !res.body) return undefined;
      return readCapped(res.body, `${prefix}${name}`, maxBytes);
    },
    write: (name, bytes) => base.write(name, bytes),
  };
}

/** Reads a body, refusing it (IdxFormatError 'too-large') as soon as it grows past maxBytes: an endless body costs nothing. */
async function readCapped(body: ReadableStream<Uint8Array>, url: string, maxBytes = Infinity): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new IdxFormatError('too-large', `${url}: more than the ${maxBytes} bytes this file may have`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
