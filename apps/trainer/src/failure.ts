import { asTopLevelError } from './out-path';
import { activeRun } from './run-dir';
import { UsageError } from './errors';

/**
 * The error to print for a failure that reached the top: a raw fs error (ENOSPC while a checkpoint
 * was written) names the run directory it happened in; a workspace package that cannot be found
 * means the packages were not built. Everything else prints as it is.
 */
export function describeFailure(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : '';
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /@logitlab\/|[/\\]dist[/\\]/.test(message)) {
    const what = /'([^']+)'/.exec(message)?.[1] ?? 'a workspace package';
    return new UsageError(`${what} is not built: run \`pnpm build\` first (\`pnpm tour\` builds and runs)`, 1);
  }
  return asTopLevelError(err, activeRun()?.dir);
}
