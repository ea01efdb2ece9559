import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchFlags } from '../program';
import type { BenchRow } from './measure';

/** Set in the child processes `measureIsolated` starts (they measure one backend and never fan out). */
export const BENCH_CHILD_ENV = 'LOGITLAB_BENCH_CHILD';

/**
 * Measures one workload on one backend in a fresh `logitlab bench` process, as a user runs one backend
 * per process. In one process, the backends measured before it left tfjs's engine code polymorphic: the
 * native bn-mlp trained ~10% slower after cpu and wasm had run (20.4k vs 22.5-22.9k samples/s, measured
 * back to back). The child's profile lines (LOGITLAB_BENCH_PROFILE=1) are passed through to `log`.
 */
export function measureIsolated(cli: string, name: string, backend: string, flags: BenchFlags, log: (line: string) => void): BenchRow {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-bench-'));
  const out = path.join(dir, 'row.json');
  try {
    const args = [cli, 'bench', '--backends', backend, '--workloads', name, '--no-torch', '--json', out];
    args.push('--repeats', String(flags.repeats), '--warmup', String(flags.warmup), '--warmup-sec', String(flags.warmupSec));
    args.push('--steps', String(flags.steps), '--threads', String(flags.threads));
    const r = spawnSync(process.execPath, args, {
      encoding: 'utf8',
      env: { ...process.env, [BENCH_CHILD_ENV]: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      const why = `${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ') || `exit ${r.status ?? r.signal}`;
      throw new Error(`bench of ${name} on ${backend} in a child process failed: ${why}`);
    }
    for (const line of `${r.stdout}`.split('\n')) if (line.startsWith('    ')) log(line);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { workloads: BenchRow[] };
    const row = result.workloads.find((w) => w.name === name && w.backend === backend);
    if (!row) throw new Error(`bench of ${name} on ${backend} in a child process wrote no result`);
    return row;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
