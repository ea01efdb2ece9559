/** Where loadMnist looks for files and writes downloads: a directory in Node, the Cache API in browsers. */
export interface DataStore {
  /** Human-readable location for messages (a directory path, a cache name). */
  readonly location: string;
  /**
   * The file's bytes, or undefined when it is not there. With `maxBytes`, a larger file is refused
   * (IdxFormatError 'too-large') before it is read, where the store can tell its size first.
   */
  read(name: string, maxBytes?: number): Promise<Uint8Array | undefined>;
  /** Stores bytes so that readers see either nothing or the whole file (temp file + rename). */
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** Path or key of a file, for messages. */
  describe(name: string): string;
}

/** A store in memory, for tests and for browsers without the Cache API. */
export function memoryStore(location = 'memory'): DataStore & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    location,
    files,
    read: async (name) => files.get(name),
    write: async (name, bytes) => {
      // a copy the caller cannot change later (Buffer#slice would be a view)
      files.set(name, new Uint8Array(bytes));
    },
    describe: (name) => `${location}/${name}`,
  };
}
