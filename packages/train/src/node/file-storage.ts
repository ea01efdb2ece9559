import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTemps, writeFileAtomic } from '@logitlab/core/node';
import { CheckpointError, type CheckpointStorage } from '@logitlab/train';
import { describeFsError } from './fs-error';

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
        throw new CheckpointError(`could not read checkpoint ${join(dir, name)}: ${describeFsError(e)}`, { cause: e });
      }
    },
    async list() {
      try {
        return (await readdir(dir)).filter((n) => !n.startsWith('.'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        // ENOTDIR: the checkpoint folder is a file
        throw new CheckpointError(`could not list checkpoints in ${dir}: ${describeFsError(e)}`, { cause: e });
      }
    },
    async remove(name) {
      try {
        await rm(path(name), { force: true });
      } catch (e) {
        // EISDIR: a folder named like a checkpoint is not ours to delete
        throw new CheckpointError(`could not remove checkpoint ${join(dir, name)}: ${describeFsError(e)}`, { cause: e });
      }
    },
  };
}
