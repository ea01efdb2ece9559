import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AtomicWriteError, type AtomicWriteStage } from '@logitlab/core';
import { tempPath } from './temp-files';

export interface AtomicWriteOptions {
  /** What the file is, for the error message: 'checkpoint', 'report', 'dataset file'... Default 'file'. */
  purpose?: string;
  /** fsync the temp file before the rename, so a power cut cannot leave an empty file (default true). */
  fsync?: boolean;
}

// Hand-written rather than write-file-atomic: its current major needs Node 22 (we support 20), and we
// want one typed error that names the path and the purpose instead of a bare errno.
// The temp file sits beside the target (rename is only atomic within one file system); see temp-files.ts.

function fail(file: string, purpose: string, stage: AtomicWriteStage, cause: unknown): AtomicWriteError {
  return new AtomicWriteError(file, purpose, stage, (cause as NodeJS.ErrnoException | undefined)?.code, { cause });
}

/**
 * Writes `data` to `file` so that a reader (or a run resumed after SIGKILL) sees the old content or the
 * whole new one, never a torn file: temp file in the same directory, fsync, rename. Creates missing
 * parent directories. On any failure the temp file is removed and an AtomicWriteError names the path,
 * the purpose and the system code (ENOSPC: "disk full (ENOSPC) while writing checkpoint <path>").
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const { purpose = 'file', fsync = true } = options;
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
  } catch (e) {
    throw fail(file, purpose, 'mkdir', e);
  }
  const tmp = tempPath(file);
  let stage: AtomicWriteStage = 'write';
  try {
    const fh = await fsp.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      if (fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    stage = 'rename';
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw fail(file, purpose, stage, e);
  }
}

/** The synchronous twin of writeFileAtomic, for CLIs that write reports between synchronous steps. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const { purpose = 'file', fsync = true } = options;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (e) {
    throw fail(file, purpose, 'mkdir', e);
  }
  const tmp = tempPath(file);
  let stage: AtomicWriteStage = 'write';
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      if (fsync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    stage = 'rename';
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw fail(file, purpose, stage, e);
  }
}
