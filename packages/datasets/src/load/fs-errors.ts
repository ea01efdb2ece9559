import { DataFileError } from '../errors';

// What each errno means for a data file, in words a user can act on.
const WHY: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory, not a file',
  ELOOP: 'too many symbolic links (a link loop?)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'an I/O error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
};

/** A raw fs error as a DataFileError that names the path, the action and the code; other errors pass through. */
export function dataFileError(path: string, action: string, e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return e;
  const why = WHY[code] ?? (e as { message?: string }).message ?? code;
  return new DataFileError(
    `cannot ${action} ${path}: ${why} (${code}). Choose another data directory with root or LOGITLAB_DATA_DIR.`,
    path,
    code,
    {
      cause: e,
    },
  );
}
