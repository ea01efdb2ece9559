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
  /** BLAS PyTorch was built with ('generic' = whatever libblas.so.3 the system provides). */
  blas?: string;
  /** OPENBLAS_NUM_THREADS this run used (the bench keeps the better of 1 and --threads). */
  blasThreads?: number | null;
  /** OPENBLAS_NUM_THREADS of the run whose train (infer) rate is reported. */
  trainBlasThreads?: number;
  inferBlasThreads?: number;
}

export interface SgemmRow {
  sgemmN: number;
  gflops: number;
  threads: number;
  blasThreads: number | null;
}

type TorchRunOptions = { repeats: number; warmup: number; warmupSec: number; steps: number; threads: number };

function runScript<T>(python: string, args: string[], threads: number, blasThreads: number): T | { error: string } {
  // OpenBLAS reads its thread count once, when torch loads it; torch's own intra-op pool is --threads
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(blasThreads) };
  const r = spawnSync(python, args, { encoding: 'utf8', timeout: 600_000, env });
  const line = r.stdout?.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    return { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').at(-1) ?? 'failed' };
  }
  return JSON.parse(line) as T;
}

/** OpenBLAS thread counts worth trying: oversubscribing torch's threads with BLAS threads can lose, so 1 and `threads`. */
export function blasThreadChoices(threads: number): number[] {
  return threads > 1 ? [1, threads] : [1];
}

/** GFLOP/s of PyTorch's BLAS on an n^3 float32 matmul: the machine's GEMM roofline for the bench. */
export function runTorchSgemm(
  python: string,
  script: string,
  n: number,
  threads: number,
  blasThreads: number,
): SgemmRow | { error: string } {
  return runScript<SgemmRow>(python, [script, '--sgemm', String(n), '--threads', String(threads), '--repeats', '5'], threads, blasThreads);
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
  o: TorchRunOptions,
  blasThreads = 1,
): TorchRow | { error: string } {
  const args = [
    script,
    '--workload',
    name,
    '--repeats',
    String(o.repeats),
    '--warmup',
    String(Math.max(1, o.warmup)),
    '--warmup-sec',
    String(o.warmupSec),
    '--steps',
    String(o.steps),
    '--threads',
    String(o.threads),
  ];
  return runScript<TorchRow>(python, args, o.threads, blasThreads);
}

/**
 * PyTorch at its best here: one run per OpenBLAS thread count, keeping the better train and the
 * better inference rate (each with the thread count that gave it).
 */
export function runTorchBest(python: string, script: string, name: string, o: TorchRunOptions): TorchRow | { error: string } {
  let best: TorchRow | undefined;
  let error: string | undefined;
  for (const blas of blasThreadChoices(o.threads)) {
    const t = runTorchWorkload(python, script, name, o, blas);
    if ('error' in t) {
      error = t.error;
      continue;
    }
    if (!best) best = { ...t, trainBlasThreads: blas, inferBlasThreads: blas };
    else {
      if (t.trainSamplesPerSec > best.trainSamplesPerSec)
        Object.assign(best, { trainSamplesPerSec: t.trainSamplesPerSec, trainBlasThreads: blas });
      if (t.inferSamplesPerSec > best.inferSamplesPerSec)
        Object.assign(best, { inferSamplesPerSec: t.inferSamplesPerSec, inferBlasThreads: blas });
      best.peakRssMB = Math.max(best.peakRssMB, t.peakRssMB);
    }
  }
  return best ?? { error: error ?? 'failed' };
}
