import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError, type CheckpointStorage } from '@logitlab/train';

/**
 * Checkpoints as files in `dir`. Writes go to a hidden temp file in the same directory, are
 * fsynced, then renamed over the target: rename is atomic on POSIX file systems, so a crash or
 * SIGKILL leaves either the old file or the new one, never a torn checkpoint. Leftover temp files
 * (from a killed writer) are never listed and are removed by the next write.
 */
export function fileStorage(dir: string): CheckpointStorage & { readonly dir: string } {
  const path = (name: string) => {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) {
      throw new CheckpointError(`checkpoint name "${name}" must be a plain file name (letters, digits, '.', '_', '-'; not starting with '.')`);
    }
    return join(dir, name);
  };
  return {
    dir,
    async write(name, bytes) {
      const target = path(name);
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      try {
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        throw new CheckpointError(`could not move the checkpoint into place at ${target}: ${(e as Error).message}`);
      }
      await removeStaleTemps(dir, name);
    },
    async read(name) {
      try {
        const buf = await readFile(path(name));
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (e) {
        throw new CheckpointError(`could not read checkpoint ${join(dir, name)}: ${(e as Error).message}`);
      }
    },
    async list() {
      try {
        return (await readdir(dir)).filter((n) => !n.startsWith('.'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },
    async remove(name) {
      await rm(path(name), { force: true });
    },
  };
}

async function removeStaleTemps(dir: string, name: string): Promise<void> {
  for (const n of await readdir(dir)) {
    if (n.startsWith(`.${name}.`) && n.endsWith('.tmp')) await rm(join(dir, n), { force: true });
  }
}
