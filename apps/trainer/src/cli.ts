import { CommanderError } from 'commander';
import { oneLine } from './errors';
import { buildProgram } from './program';
import { actions } from './actions';
import { interruptMessage, requestStop, restoreTerminal } from './interrupt';
import { describeFailure } from './failure';

/**
 * Entry point of the `logitlab` bin. It imports no workspace package or tfjs statically: commands
 * load them on demand (separate chunks), so even a broken install fails as one line. Every failure ends as ONE line on stderr and a non-zero exit;
 * LOGITLAB_DEBUG=1 adds the stack for bug reports.
 */
function fail(err: unknown): never {
  restoreTerminal();
  process.stderr.write(`logitlab: ${oneLine(describeFailure(err))}\n`);
  if (process.env.LOGITLAB_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  const code = typeof (err as { exitCode?: unknown }).exitCode === 'number' ? (err as { exitCode: number }).exitCode : 1;
  process.exit(code === 0 ? 1 : code);
}

process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);
// `logitlab ... | head -1` closes stdout early: the run keeps training and writing its files
// instead of dying of EPIPE on the next log line.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') fail(err);
});
// Ctrl-C mid progress bar: give the terminal back its cursor and line wrap, and say how to continue.
// A command running `interruptibly` (explain --dataset) is told to stop instead, and exits by itself.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (requestStop(signal)) return;
    restoreTerminal();
    process.stderr.write(`\n${interruptMessage(process.argv.slice(2), signal)}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

async function main(): Promise<void> {
  const program = buildProgram(actions, { exitOverride: true });
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    // commander already printed its one-line message (or the help / version text)
    if (err instanceof CommanderError) process.exit(err.exitCode);
    fail(err);
  }
  // wasm's worker threads keep the event loop alive after the work is done
  process.exit(process.exitCode ?? 0);
}

await main();
