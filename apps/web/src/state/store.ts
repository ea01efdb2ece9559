/**
 * A small key-value store on IndexedDB (what the page remembers across reloads: the backend, weights
 * the user adopted). Every call resolves, never rejects: a browser without IndexedDB (or a private
 * window that refuses it) simply remembers nothing.
 */
const DB = 'logitlab';
const STORE = 'kv';

let opened: Promise<IDBDatabase | null> | null = null;

function db(): Promise<IDBDatabase | null> {
  opened ??= new Promise((resolve) => {
    try {
      const req = indexedDB.open(DB, 1);
      req.addEventListener('upgradeneeded', () => req.result.createObjectStore(STORE));
      req.addEventListener('success', () => resolve(req.result));
      req.addEventListener('error', () => resolve(null));
    } catch {
      resolve(null);
    }
  });
  return opened;
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
  const d = await db();
  if (!d) return undefined;
  return new Promise((resolve) => {
    try {
      const req = fn(d.transaction(STORE, mode).objectStore(STORE));
      req.addEventListener('success', () => resolve(req.result));
      req.addEventListener('error', () => resolve(undefined));
    } catch {
      resolve(undefined);
    }
  });
}

export function getItem<T>(key: string): Promise<T | undefined> {
  return tx('readonly', (s) => s.get(key) as IDBRequest<T>);
}

export async function setItem(key: string, value: unknown): Promise<void> {
  await tx('readwrite', (s) => s.put(value, key));
}

export async function removeItem(key: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(key));
}
