import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '@logitlab/core/node';
import { jsonReplacer, readJson, writeJsonAtomic } from './fsutil';
import { checkRunConfig } from './run-config';
import { writingTo } from './out-path';

/** `20250131-142501`: sortable, no characters that need quoting in a shell. */
const p = (n: number) => String(n).padStart(2, '0');

export function timestamp(date = new Date()): string {
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

export function defaultRunDir(name: string, cwd = process.cwd(), date = new Date()): string {
  return path.join(cwd, 'runs', `${name}-${timestamp(date)}`);
}

/** The first run directory this process made: what Ctrl-C tells the user to --resume. */
const runs: RunDir[] = []; // holds the first only
export function activeRun(): RunDir | undefined {
  return runs[0];
}

/**
 * One run's directory: config.json, metrics.jsonl (appended line by line, so a killed run keeps
 * what it measured), summary.json, report.md, figures and checkpoints.
 *
 * The directory (and its config.json) appears on disk only when the run first writes something,
 * i.e. after its data has loaded: a run that failed to start leaves no folder that --resume would
 * accept. Write failures are OutputPathErrors naming the file.
 */
export class RunDir {
  private created: boolean;
  private pendingConfig: unknown;

  /** `parent`: the run this one is part of (a tour), made on disk first so it can be resumed as a whole. */
  constructor(
    readonly dir: string,
    private readonly parent?: RunDir,
  ) {
    this.created = fs.existsSync(path.join(dir, 'config.json'));
    if (runs.length === 0) runs.push(this);
  }

  /** Creates the directory (and writes a pending config.json) now; returns it. */
  ensure(): string {
    if (this.created) return this.dir;
    this.parent?.ensure();
    writingTo(this.dir, 'run directory', () => fs.mkdirSync(this.dir, { recursive: true }));
    this.created = true;
    if (this.pendingConfig !== undefined) this.writeConfig(this.pendingConfig);
    this.pendingConfig = undefined;
    return this.dir;
  }

  /** Whether config.json is on disk, i.e. the run can be resumed. */
  get resumable(): boolean {
    return fs.existsSync(path.join(this.dir, 'config.json'));
  }

  /** The path of a file in the run; creates the run directory (a caller is about to write it). */
  file(name: string): string {
    this.ensure();
    return path.join(this.dir, name);
  }

  /** Recorded now, written to disk with the run's first output. */
  writeConfig(config: unknown): void {
    if (!this.created) {
      this.pendingConfig = config;
      return;
    }
    const file = path.join(this.dir, 'config.json');
    writeJsonAtomic(file, config, 'run config');
  }

  /** The run's config.json, checked to be one a run wrote (InvalidRunConfigError names the file otherwise). */
  readConfig<T>(): T {
    const file = path.join(this.dir, 'config.json');
    const value = readJson<unknown>(file);
    checkRunConfig(file, value);
    return value as T;
  }

  /** Appends one JSON line; a line is small, and appends of whole lines survive a kill between them. */
  logMetric(record: Record<string, unknown>): void {
    const file = this.file('metrics.jsonl');
    writingTo(file, 'metrics', () =>
      fs.appendFileSync(file, `${JSON.stringify({ time: new Date().toISOString(), ...record }, jsonReplacer)}\n`),
    );
  }

  readMetrics(): Record<string, unknown>[] {
    const file = path.join(this.dir, 'metrics.jsonl');
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return []; // a line cut by a kill is dropped, not fatal
        }
      });
  }

  writeSummary(summary: unknown): void {
    writeJsonAtomic(this.file('summary.json'), summary, 'run summary');
  }

  writeReport(markdown: string): void {
    writeFileAtomicSync(this.file('report.md'), markdown, { purpose: 'report' });
  }

  writeFile(name: string, data: string | Uint8Array): string {
    const file = this.file(name);
    writeFileAtomicSync(file, data, { purpose: 'run file' });
    return file;
  }
}
