/** What a system error code means, for messages that name the path (the rest of the errno text adds little). */
const MEANING: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'the path is a directory, not a file',
  ERR_FS_EISDIR: 'the path is a directory, not a file',
  // from mkdir -p: a file sits where a folder is needed
  EEXIST: 'a file exists where a folder is needed',
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'disk full',
  EROFS: 'read-only file system',
  ELOOP: 'too many symbolic links',
};

/** `"<meaning> (<CODE>)"` for an errno error, else its message. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  return `${MEANING[code] ?? 'failed'} (${code})`;
}
