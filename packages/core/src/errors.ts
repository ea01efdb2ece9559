/**
 * Base class of every error thrown by a logitlab package, so an app can catch the whole family with
 * one `instanceof` and tell ours from a bug elsewhere. Each package derives its own base from it
 * (LayerError, LossError, DatasetError...), and those derive the specific, typed errors.
 */
export class LogitlabError extends Error {
  override name = 'LogitlabError';
}

/** What failed while writing a file atomically: the temp file was removed and the target left as it was. */
export type AtomicWriteStage = 'mkdir' | 'write' | 'rename';

/**
 * An atomic write failed. `path` is the target, `purpose` what the file is ('checkpoint', 'report'...),
 * `code` the system error code (ENOSPC, EACCES...). The target still holds its previous content (or
 * does not exist) and no temp file is left behind.
 */
export class AtomicWriteError extends LogitlabError {
  override name = 'AtomicWriteError';
  constructor(
    readonly path: string,
    readonly purpose: string,
    readonly stage: AtomicWriteStage,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${describeCode(code)} while writing ${purpose} ${path}${causeText(options?.cause)}`, options);
  }
}

const CODES: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent is not a directory',
  EISDIR: 'the target is a directory',
  EMFILE: 'too many open files',
  EXDEV: 'temp file on another device',
};

function describeCode(code: string | undefined): string {
  if (code === undefined) return 'failed';
  const text = CODES[code];
  return text ? `${text} (${code})` : `failed (${code})`;
}

function causeText(cause: unknown): string {
  return cause instanceof Error ? `: ${cause.message}` : '';
}
