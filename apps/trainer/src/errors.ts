/**
 * An error the user can fix (bad flag, unreadable directory, wrong checkpoint). The CLI prints its
 * message as ONE line and exits non-zero, never with a stack trace.
 */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** One line for any thrown value: typed library errors keep their name, so users can search for it. */
export function oneLine(err: unknown): string {
  if (err instanceof UsageError) return err.message.replace(/\s*\n\s*/g, ' ');
  if (err instanceof Error) {
    const prefix = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
    return `${prefix}${err.message}`.replace(/\s*\n\s*/g, ' ');
  }
  return String(err);
}
