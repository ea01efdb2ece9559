import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TorchRow {
  name: string;
  trainSamplesPerSec: number;
  inferSamplesPerSec: number;
  peakRssMB: number;
  torch: string;
  threads: number;
  /** BLAS PyTorch was built with ('generic' = reference GEMM, slow Linear layers). */
  blas?: string;
}

/** bench/torch_bench.py, found from the built dist/cli.js or from src (tests). */
export function torchScriptPath(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'bench', 'torch_bench.py');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

/**
 * The first Python that imports torch: Debian's /usr/bin/python3 (python3-torch) before whatever
 * python3 is first on PATH (often a venv without torch).
 */
export function findTorchPython(): { python: string; version: string } | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return undefined;
}

export function runTorchWorkload(
  python: string,
  script: string,
  name: string,
  o: { repeats: number; warmup: number; warmupSec: number; steps: number; threads: number },
): TorchRow | { error: string } {
  const args = [script, '--workload', name, '--repeats', String(o.repeats), '--warmup', String(Math.max(1, o.warmup)), '--warmup-sec', String(o.warmupSec), '--steps', String(o.steps), '--threads', String(o.threads)];
  const r = spawnSync(python, args, { encoding: 'utf8', timeout: 600_000, env: { ...process.env, OMP_NUM_THREADS: String(o.threads) } });
  const line = r.stdout?.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    return { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').at(-1) ?? 'failed' };
  }
  return JSON.parse(line) as TorchRow;
}
