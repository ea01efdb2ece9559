import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors';

/**
 * A run directory or file that cannot be created or written: names the path, what it was for and
 * why, in words and with the errno code (ENOSPC, ENOTDIR, ...) for searching.
 */
export class OutputPathError extends UsageError {
  override readonly name = 'OutputPathError';
  constructor(
    readonly file: string,
    readonly code: string,
    message: string,
  ) {
    super(message, 1);
  }
}

const WHY: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory, not a file',
  ELOOP: 'the path has a symbolic-link loop',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  // a read-only or vanished mount reports ENOENT for mkdir of a child
  ENOENT: 'a parent directory does not exist or cannot be created',
  ENAMETOOLONG: 'the path is too long',
  EEXIST: 'something else already exists there',
  EIO: 'an input/output error on the device',
};

// Kernel pseudo file systems: mkdir there fails oddly or (procfs, recursive) never returns.
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'procfs',
  0x62656572: 'sysfs',
  0x64626720: 'debugfs',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
};
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

function errnoOf(err: unknown): { code: string; path?: string } | undefined {
  if (err == null || typeof err !== 'object') return undefined;
  const { code, path: p, syscall } = err as { code?: unknown; path?: unknown; syscall?: unknown };
  // only Node's raw errno errors carry `syscall`; typed errors (core's AtomicWriteError) already name their path
  if (typeof code !== 'string' || !(code in WHY) || typeof syscall !== 'string') return undefined;
  return { code, path: typeof p === 'string' ? p : undefined };
}

/** A raw fs error as an OutputPathError naming `file` and `purpose`; other errors pass through unchanged. */
export function asOutputError(err: unknown, file: string, purpose: string): unknown {
  if (err instanceof OutputPathError) return err;
  const e = errnoOf(err);
  if (!e) return err;
  return new OutputPathError(e.path ?? file, e.code, `cannot write ${purpose} '${e.path ?? file}': ${WHY[e.code]} (${e.code})`);
}

/**
 * A raw fs error that reached the top: inside the run directory it is a failed write of the run; a
 * path elsewhere (a data file, LOGITLAB_DATA_DIR) is named as what could not be used.
 */
export function asTopLevelError(err: unknown, runDir: string | undefined): unknown {
  const e = errnoOf(err);
  if (!e) return err;
  const inRun = runDir !== undefined && (e.path === undefined || e.path === runDir || e.path.startsWith(`${runDir}${path.sep}`));
  if (inRun) return asOutputError(err, runDir, 'into the run directory');
  if (!e.path) return err;
  return new OutputPathError(e.path, e.code, `cannot use '${e.path}': ${WHY[e.code]} (${e.code})`);
}

/** Whether `dir` is under a kernel pseudo file system root, where recursive mkdir can spin forever. */
export function isPseudoFsPath(dir: string): boolean {
  const abs = path.resolve(dir);
  return PSEUDO_ROOTS.some((r) => abs === r || abs.startsWith(`${r}/`));
}

/** Runs `write`, turning a raw fs error into an OutputPathError naming `file`. */
export function writingTo<T>(file: string, purpose: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw asOutputError(err, file, purpose);
  }
}

/** The deepest part of `dir` that exists (lstat), or undefined when even the root cannot be read. */
function existingAncestor(dir: string): { at: string; stat: fs.Stats } | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      return { at, stat: fs.statSync(at) };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ENOENT') throw asOutputError(err, dir, 'run directory');
    }
    if (path.dirname(at) === at) return undefined;
  }
}

/**
 * Checks that a run directory can be made at `dir` before any work starts: no pseudo file system
 * (recursive mkdir under /proc spins forever), the deepest existing part is a writable directory.
 * Returns the absolute path. Errors name `flag` and the path.
 */
export function checkOutDir(value: string, flag = '--out'): string {
  const dir = path.resolve(value);
  const refuse = (code: string, why: string) => new OutputPathError(dir, code, `${flag}: cannot use '${value}' as a run directory: ${why}`);
  if (isPseudoFsPath(dir)) throw refuse('EPERM', `${dir.split('/')[1]} is a kernel pseudo file system, not storage`);
  const found = existingAncestor(dir);
  if (!found) throw refuse('ENOENT', 'no part of the path exists');
  if (!found.stat.isDirectory()) {
    throw refuse('ENOTDIR', found.at === dir ? 'it is a file, not a directory' : `'${found.at}' is a file, not a directory`);
  }
  try {
    const fsType = fs.statfsSync(found.at).type;
    const pseudo = PSEUDO_FS[fsType];
    if (pseudo) throw refuse('EPERM', `'${found.at}' is on ${pseudo}, a kernel pseudo file system, not storage`);
  } catch (err) {
    if (err instanceof OutputPathError) throw err;
  }
  try {
    fs.accessSync(found.at, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'EACCES';
    throw refuse(code, `'${found.at}' is not writable (${WHY[code] ?? code})`);
  }
  return dir;
}
