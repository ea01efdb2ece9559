import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTemps, writeFileAtomic } from '@logitlab/core/node';
import { CheckpointError, type CheckpointStorage } from '@logitlab/train';

/**
 * Checkpoints as files in `dir`, written with @logitlab/core's writeFileAtomic (temp file, fsync,
 * rename), so a crash or SIGKILL leaves either the old file or the new one, never a torn checkpoint.
 * Leftover temp files (from a killed writer) are never listed and are removed by the next write; a live
 * writer's temp file is left alone, so several processes may checkpoint into one folder.
 */
export function fileStorage(dir: string): CheckpointStorage & { readonly dir: string } {
  const path = (name: string) => {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) {
      throw new CheckpointError(
        `checkpoint name "${name}" must be a plain file name (letters, digits, '.', '_', '-'; not starting with '.')`,
      );
    }
    return join(dir, name);
  };
  return {
    dir,
    async write(name, bytes) {
      const target = path(name);
      try {
        await writeFileAtomic(target, bytes, { purpose: 'checkpoint' });
      } catch (e) {
        // storage failures are CheckpointErrors (the CheckpointStorage contract); the message names path and cause
        throw new CheckpointError((e as Error).message, { cause: e });
      }
      await removeStaleTemps(target);
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
