import { CheckpointError } from './errors';

/**
 * Where checkpoints go. Libraries may not touch the file system, so storage is injected:
 * `memoryStorage()` here, `fileStorage(dir)` in `@logitlab/train/node` (temp file + rename), or your
 * own (IndexedDB, a server). `write` must be atomic: a reader never sees a partial checkpoint.
 */
export interface CheckpointStorage {
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** The stored bytes; rejects when `name` does not exist. */
  read(name: string): Promise<Uint8Array>;
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
}

/** In-memory storage (tests, browsers, or keeping the best weights without disk). */
export function memoryStorage(): CheckpointStorage & { readonly files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    async write(name, bytes) {
      files.set(name, bytes.slice());
    },
    async read(name) {
      const b = files.get(name);
      if (!b) throw new CheckpointError(`checkpoint "${name}" not found in memory storage; have [${[...files.keys()].join(', ')}]`);
      return b.slice();
    },
    async list() {
      return [...files.keys()];
    },
    async remove(name) {
      files.delete(name);
    },
  };
}
