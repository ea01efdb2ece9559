import { DatasetError, DataFileError, IdxFormatError } from '../errors';
import { dataFileError } from './fs-errors';
import type { DataStore } from './store';

// Node modules are imported lazily so that bundlers building for the browser never need them.
async function nodeModules() {
  const [fs, path, os, core] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('node:os'),
    import('@logitlab/core/node'),
  ]);
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
  await refusePseudoFileSystem(root);
  return {
    location: root,
    describe: (name) => path.join(root, name),
    async read(name, maxBytes) {
      const file = path.join(root, name);
      try {
        // stat first: a FIFO would block readFile forever, and a huge file would be read whole
        const st = await fs.stat(file);
        if (st.isDirectory()) throw dataFileError(file, 'read data file', { code: 'EISDIR' });
        if (!st.isFile())
          throw new DataFileError(`cannot read data file ${file}: it is not a regular file (a FIFO, socket or device?)`, file, undefined);
        if (maxBytes !== undefined && st.size > maxBytes) {
          throw new IdxFormatError('too-large', `${file}: ${st.size} bytes, more than the ${maxBytes} this file may have`);
        }
        const buf = await fs.readFile(file);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (e) {
        if (e instanceof DatasetError) throw e;
        if ((e as { code?: string }).code === 'ENOENT') return undefined;
        throw dataFileError(file, 'read data file', e);
      }
    },
    async write(name, bytes) {
      await writeFileAtomic(path.join(root, name), bytes, { purpose: 'dataset file' });
    },
  };
}

export const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

// statfs f_type magic numbers of Linux pseudo file systems: files cannot be stored there, and a recursive
// mkdir below /proc/self spins forever instead of failing
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'procfs',
  0x62656572: 'sysfs',
  0x1cd1: 'devpts',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x27e0eb: 'cgroupfs',
  0x63677270: 'cgroup2fs',
  0x73636673: 'securityfs',
  0xcafe4a11: 'bpffs',
};
// not /dev: /dev/shm is an ordinary tmpfs (devpts is caught by its statfs type)
const PSEUDO_ROOTS = ['/proc', '/sys'];

/** Refuses a data directory on procfs, sysfs and the like, judged by its nearest existing ancestor. */
async function refusePseudoFileSystem(root: string): Promise<void> {
  const { fs, path } = await nodeModules();
  let probe = root;
  for (;;) {
    try {
      await fs.stat(probe);
      break;
    } catch {
      const up = path.dirname(probe);
      if (up === probe) return;
      probe = up;
    }
  }
  const real = await fs.realpath(probe).catch(() => probe);
  const type =
    typeof fs.statfs === 'function'
      ? await fs.statfs(real).then(
          (st) => Number(st.type),
          () => undefined,
        )
      : undefined;
  // the path prefix covers systems without statfs types (and containers that mount /proc oddly)
  const prefix = PSEUDO_ROOTS.find((r) => [real, root].some((p) => p === r || p.startsWith(`${r}/`)));
  const kind = (type === undefined ? undefined : PSEUDO_FS[type]) ?? (prefix ? `the ${prefix} pseudo file system` : undefined);
  if (kind) {
    throw new DataFileError(
      `refusing data directory ${root}: it is on ${kind}, which cannot store files. Choose another directory with root or LOGITLAB_DATA_DIR.`,
      root,
      undefined,
    );
  }
}
