import { LogitlabError } from '@logitlab/core';

/** Base class of every error thrown by @logitlab/datasets, so callers can catch them as one family. */
export class DatasetError extends LogitlabError {
  override name = 'DatasetError';
}

export type IdxFormatReason =
  | 'bad-magic'
  | 'unknown-dtype'
  | 'bad-rank'
  | 'truncated'
  | 'trailing-bytes'
  | 'count-mismatch'
  | 'not-gzip'
  | 'corrupt-gzip'
  | 'wrong-shape'
  | 'wrong-dtype'
  | 'too-large';

/** Bytes that are not a well-formed IDX file (or not the IDX file the caller expected). */
export class IdxFormatError extends DatasetError {
  override name = 'IdxFormatError';
  constructor(
    readonly reason: IdxFormatReason,
    message: string,
  ) {
    super(`${message} [${reason}]`);
  }
}

/** A file's SHA-256 is not one of the accepted digests: it is corrupt, truncated or a different file. */
export class ChecksumError extends DatasetError {
  override name = 'ChecksumError';
  constructor(
    message: string,
    readonly file: string,
    readonly expected: readonly string[],
    readonly actual: string,
  ) {
    super(message);
  }
}

/** The requested data is not on disk (or in the browser cache) and downloading was not requested. */
export class DataNotFoundError extends DatasetError {
  override name = 'DataNotFoundError';
  constructor(
    message: string,
    readonly looked: readonly string[],
  ) {
    super(message);
  }
}

export interface DownloadAttempt {
  url: string;
  error: string;
}

/** Every mirror (and every retry) failed; `attempts` lists what happened, in order. */
export class DownloadError extends DatasetError {
  override name = 'DownloadError';
  constructor(
    message: string,
    readonly file: string,
    readonly attempts: readonly DownloadAttempt[],
  ) {
    super(message);
  }
}

/**
 * The file system refused a data file or directory (ENOTDIR, EISDIR, ELOOP, EACCES, EROFS...), or the
 * data directory is on a pseudo file system (procfs, sysfs) where files cannot be stored.
 * `path` is the file or directory, `code` the system error code when there is one.
 */
export class DataFileError extends DatasetError {
  override name = 'DataFileError';
  constructor(
    message: string,
    readonly path: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad options or data given to a generator, pairing function or DataLoader. */
export class DatasetInputError extends DatasetError {
  override name = 'DatasetInputError';
}
