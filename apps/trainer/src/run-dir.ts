import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '@logitlab/core/node';
import { jsonReplacer, readJson, writeJsonAtomic } from './fsutil';

/** `20250131-142501`: sortable, no characters that need quoting in a shell. */
const p = (n: number) => String(n).padStart(2, '0');

export function timestamp(date = new Date()): string {
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

export function defaultRunDir(name: string, cwd = process.cwd(), date = new Date()): string {
  return path.join(cwd, 'runs', `${name}-${timestamp(date)}`);
}

/**
 * One run's directory: config.json, metrics.jsonl (appended line by line, so a killed run keeps
 * what it measured), summary.json, report.md, figures and checkpoints.
 */
export class RunDir {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  writeConfig(config: unknown): void {
    writeJsonAtomic(this.file('config.json'), config, 'run config');
  }

  readConfig<T>(): T {
    return readJson<T>(this.file('config.json'));
  }

  /** Appends one JSON line; a line is small, and appends of whole lines survive a kill between them. */
  logMetric(record: Record<string, unknown>): void {
    fs.appendFileSync(this.file('metrics.jsonl'), `${JSON.stringify({ time: new Date().toISOString(), ...record }, jsonReplacer)}\n`);
  }

  readMetrics(): Record<string, unknown>[] {
    const file = this.file('metrics.jsonl');
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
