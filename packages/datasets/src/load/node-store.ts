import type { DataStore } from './store';

// Node modules are imported lazily so that bundlers building for the browser never need them.
async function nodeModules() {
  const [fs, path, os, core] = await Promise.all([import('node:fs/promises'), import('node:path'), import('node:os'), import('@logitlab/core/node')]);
  return { fs, path, os, writeFileAtomic: core.writeFileAtomic };
}

interface ProcessLike {
  env: Record<string, string | undefined>;
  platform: string;
  cwd(): string;
}

function proc(): ProcessLike {
  return (globalThis as unknown as { process: ProcessLike }).process;
}

/**
 * Default data directory of a variant: $LOGITLAB_DATA_DIR/<variant> when set, else
 * $XDG_CACHE_HOME/logitlab/<variant>, else ~/.cache/logitlab/<variant> (%LOCALAPPDATA% on Windows).
 */
export async function defaultDataDir(variant: string): Promise<string> {
  const { path, os } = await nodeModules();
  const env = proc().env;
  if (env.LOGITLAB_DATA_DIR) return path.resolve(env.LOGITLAB_DATA_DIR, variant);
  const cache = env.XDG_CACHE_HOME || (proc().platform === 'win32' && env.LOCALAPPDATA) || path.join(os.homedir(), '.cache');
  return path.resolve(cache, 'logitlab', variant);
}

/** Files in one directory; writes go to a temp file in the same directory, then rename (atomic on POSIX). */
export async function nodeStore(dir: string): Promise<DataStore> {
  const { fs, path, writeFileAtomic } = await nodeModules();
  const root = path.resolve(dir);
  return {
    location: root,
    describe: (name) => path.join(root, name),
    async read(name) {
      try {
        const buf = await fs.readFile(path.join(root, name));
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async write(name, bytes) {
      await writeFileAtomic(path.join(root, name), bytes, { purpose: 'dataset file' });
    },
  };
}

export const isNode = (): boolean => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
