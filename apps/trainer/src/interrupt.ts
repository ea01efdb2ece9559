import path from 'node:path';
import { UsageError } from './errors';
import { activeRun } from './run-dir';

/** cli-progress hides the cursor and turns line wrap off while it draws; a kill must not leave them so. */
export function restoreTerminal(): void {
  for (const stream of [process.stderr, process.stdout]) {
    if (stream.isTTY) stream.write('\u001b[?25h\u001b[?7h');
  }
}

const RESUMABLE = new Set(['train', 'experiment', 'tour']);

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line that continues this run: the same arguments, with --resume <its directory> instead of --out. */
export function resumeCommand(argv: readonly string[], dir: string, cwd = process.cwd()): string {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out' || a === '--resume') i++;
    else if (!a.startsWith('--out=') && !a.startsWith('--resume=')) args.push(a);
  }
  const rel = path.relative(cwd, dir);
  const bin = process.env.npm_lifecycle_event === 'logitlab' ? 'pnpm logitlab' : 'logitlab';
  return [bin, ...args, '--resume', rel && !rel.startsWith('..') ? rel : dir].map((a, i) => (i === 0 ? a : quote(a))).join(' ');
}

/** What to tell the user when a signal stops the CLI. */
export function interruptMessage(argv: readonly string[], signal: string): string {
  const run = activeRun();
  if (!RESUMABLE.has(argv[0] ?? '') || !run) return `logitlab: interrupted (${signal})`;
  if (!run.resumable) return `logitlab: interrupted (${signal}) before the run wrote anything; nothing to resume`;
  return `logitlab: interrupted (${signal}); continue with: ${resumeCommand(argv, run.dir)}`;
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** A command stopped by SIGINT / SIGTERM at a safe point; exits 130 / 143 as a shell would report the signal. */
export class InterruptedError extends UsageError {
  override readonly name = 'InterruptedError';
  constructor(
    readonly signal: StopSignal,
    message = `interrupted (${signal})`,
  ) {
    super(message, signal === 'SIGINT' ? 130 : 143);
  }
}

let stopping: AbortController | undefined;

/**
 * Runs `work` so that SIGINT / SIGTERM abort its signal (reason: an InterruptedError) instead of
 * ending the process at once: the work stops at its next safe point and unwinds, so it can leave its
 * files whole and say where it stopped. Kubernetes sends SIGTERM and waits (30 s by default) before SIGKILL.
 */
export async function interruptibly<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  stopping = controller;
  try {
    return await work(controller.signal);
  } finally {
    if (stopping === controller) stopping = undefined;
  }
}

/**
 * The CLI's signal handler asks this first: true when an `interruptibly` work was told to stop (the
 * handler then leaves the exit to it). A second signal finds it already told and ends the process at once.
 */
export function requestStop(signal: StopSignal): boolean {
  if (!stopping || stopping.signal.aborted) return false;
  stopping.abort(new InterruptedError(signal));
  return true;
}
