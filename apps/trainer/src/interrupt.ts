import path from 'node:path';
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
