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
        await (await caches.open(cacheName)).put(key(name), new Response(new Uint8Array(bytes), { headers: { 'content-type': 'application/octet-stream' } }));
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
    async read(name) {
      const cached = await base.read(name);
      if (cached) return cached;
      try {
        const res = await fetch(`${prefix}${name}`);
        return res.ok ? new Uint8Array(await res.arrayBuffer()) : undefined;
      } catch {
        return undefined;
      }
    },
    write: (name, bytes) => base.write(name, bytes),
  };
}
