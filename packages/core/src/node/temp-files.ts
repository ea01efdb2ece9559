import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';

/**
 * A temp file left older than this is stale even when its pid is alive: the pid may have been reused,
 * or the writer may run in another pid namespace (a container sharing the folder). No atomic write we
 * make takes an hour; a live writer's younger temp file is never touched.
 */
const STALE_TEMP_MS = 60 * 60 * 1000;

export interface RemoveStaleTempsOptions {
  /** Age (from the start time in the temp file's name) past which a temp file is stale whatever its pid. Default 1 hour. */
  maxAgeMs?: number;
  /** The clock, for tests. Default Date.now. */
  now?: number;
}

/**
 * The temp file beside `file`, hidden: `.<name>.<pid>.<start ms>.<random>.tmp`. The pid and the start
 * time let another process tell a live writer's file from one a killed writer left behind.
 */
export function tempPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Whether process `pid` exists (signal 0 tests without sending; EPERM means it exists under another user). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files that killed writers of `file` left behind (a SIGKILL between open and rename
 * leaves one): those whose writer pid is dead, or that are older than `maxAgeMs`. A live writer's temp
 * file is left alone, so several processes may write into one folder at once. Temp files of the
 * earlier name form (`.<name>.<pid>.<random>.tmp`, no start time) are aged by their mtime.
 */
export async function removeStaleTemps(file: string, options: RemoveStaleTempsOptions = {}): Promise<void> {
  const { maxAgeMs = STALE_TEMP_MS, now = Date.now() } = options;
  const dir = path.dirname(file);
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const temp = new RegExp(`^\\.${base}\\.(\\d+)\\.(?:(\\d+)\\.)?[^.]+\\.tmp$`);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names.map(async (name) => {
      const m = temp.exec(name);
      if (!m) return;
      const full = path.join(dir, name);
      const started =
        m[2] === undefined
          ? await fsp.stat(full).then(
              (s) => s.mtimeMs,
              () => undefined,
            )
          : Number(m[2]);
      if (started === undefined) return; // already gone
      if (alive(Number(m[1])) && now - started < maxAgeMs) return;
      await fsp.rm(full, { force: true });
    }),
  );
}
