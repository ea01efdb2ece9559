import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { listBackends } from '@logitlab/backends';
import { setupBackend } from '../backend';
import { type ExplainBenchRow, measureExplain } from '../bench/explain';
import { type BenchRow, measureWorkload } from '../bench/measure';
import { type TorchRow, findTorchPython, runTorchWorkload, torchScriptPath } from '../bench/torch';
import { writeJsonAtomic } from '../fsutil';
import type { BackendChoice } from '../options';
import { BENCH_WORKLOADS, type BenchFlags } from '../program';
import { fmt, markdownTable } from '../report';

/** Backends that can run in Node at all; webgl / webgpu are browser-only. */
const NODE_BACKENDS = ['cpu', 'wasm', 'tensorflow', 'tensorflow-gpu'];

export interface BenchResult {
  machine: { cpu: string; cores: number; node: string; tfjs: string; platform: string };
  settings: { repeats: number; warmup: number; warmupSec: number; steps: number; threads: number };
  workloads: (BenchRow & { pytorchTrainRatio?: number; pytorchInferRatio?: number })[];
  pytorch: (TorchRow | { name: string; error: string })[] | null;
  pytorchSkipped?: string;
  /** Explaining a convnet batch with LRP vs forward + backward (one backend: wasm when chosen, it is the one explanations run on). */
  explain?: ExplainBenchRow;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function availableBackends(): Promise<string[]> {
  const all = await listBackends();
  return all.filter((b) => b.installed && b.works && NODE_BACKENDS.includes(b.name)).map((b) => b.name);
}

function ratio(a: number, b: number | undefined): number | undefined {
  return b && Number.isFinite(b) && b > 0 ? a / b : undefined;
}

export function benchTable(result: BenchResult): string {
  const torch = new Map((result.pytorch ?? []).filter((t): t is TorchRow => 'trainSamplesPerSec' in t).map((t) => [t.name, t]));
  const rows = result.workloads.map((w) => {
    const t = torch.get(w.name);
    return [
      w.name,
      w.backend,
      Math.round(w.trainSamplesPerSec),
      Math.round(w.inferSamplesPerSec),
      w.leakedTensorsPerStep,
      w.peakRssMB,
      t ? Math.round(t.trainSamplesPerSec) : '-',
      t ? Math.round(t.inferSamplesPerSec) : '-',
      w.pytorchTrainRatio !== undefined ? `${fmt(w.pytorchTrainRatio, 2)}x` : '-',
      w.pytorchInferRatio !== undefined ? `${fmt(w.pytorchInferRatio, 2)}x` : '-',
    ];
  });
  return markdownTable(
    ['workload', 'backend', 'train samples/s', 'infer samples/s', 'leaked tensors/step', 'peak RSS MB', 'PyTorch train/s', 'PyTorch infer/s', 'train ratio', 'infer ratio'],
    rows,
  );
}

/**
 * `logitlab bench`: every workload on every chosen backend, each followed by the same workload in
 * PyTorch (interleaved, so load changes on a shared machine hit both sides alike).
 */
export async function benchCommand(flags: BenchFlags): Promise<void> {
  const backends = flags.backends ?? (await availableBackends());
  const workloads = flags.workloads ?? [...BENCH_WORKLOADS];
  const settings = { repeats: flags.repeats, warmup: flags.warmup, warmupSec: flags.warmupSec, steps: flags.steps, threads: flags.threads };
  const script = torchScriptPath();
  let torchPython: { python: string; version: string } | undefined;
  let pytorchSkipped: string | undefined;
  if (!flags.torch) pytorchSkipped = 'disabled with --no-torch';
  else if (!script) pytorchSkipped = 'bench/torch_bench.py not found';
  else {
    torchPython = findTorchPython();
    if (!torchPython) pytorchSkipped = 'no python3 that imports torch (Debian: apt-get install python3-torch)';
  }
  log(`bench: ${workloads.join(', ')} on ${backends.join(', ')}; ${flags.repeats} repeat(s) of up to ${flags.steps} steps after >= ${flags.warmup} warm-up steps and ${flags.warmupSec} s; ${flags.threads} threads`);
  log(torchPython ? `bench: PyTorch ${torchPython.version} via ${torchPython.python}` : `bench: PyTorch side skipped: ${pytorchSkipped}`);

  const rows: BenchResult['workloads'] = [];
  const torchRows: NonNullable<BenchResult['pytorch']> = [];
  let active = '';
  for (const name of workloads) {
    for (const backend of backends) {
      if (active !== backend) {
        await setupBackend(backend as BackendChoice, { threads: flags.threads });
        active = backend;
      }
      const row = await measureWorkload(name, backend, settings);
      log(`  ${name} on ${backend}: train ${Math.round(row.trainSamplesPerSec)}/s, infer ${Math.round(row.inferSamplesPerSec)}/s, leaked ${fmt(row.leakedTensorsPerStep)}/step`);
      rows.push(row);
    }
    if (torchPython && script) {
      const t = runTorchWorkload(torchPython.python, script, name, settings);
      if ('error' in t) {
        torchRows.push({ name, error: t.error });
        log(`  ${name} on PyTorch failed: ${t.error}`);
      } else {
        torchRows.push(t);
        log(`  ${name} on PyTorch: train ${Math.round(t.trainSamplesPerSec)}/s, infer ${Math.round(t.inferSamplesPerSec)}/s`);
        for (const row of rows.filter((x) => x.name === name)) {
          row.pytorchTrainRatio = ratio(row.trainSamplesPerSec, t.trainSamplesPerSec);
          row.pytorchInferRatio = ratio(row.inferSamplesPerSec, t.inferSamplesPerSec);
        }
      }
    }
  }

  let explainRow: ExplainBenchRow | undefined;
  const explainBackend = backends.includes('wasm') ? 'wasm' : backends.find((b) => b !== 'cpu');
  if (workloads.includes('convnet') && explainBackend) {
    await setupBackend(explainBackend as BackendChoice, { threads: flags.threads });
    explainRow = measureExplain(explainBackend, { repeats: flags.repeats });
    const parts = Object.entries(explainRow.lrpMs).map(([c, ms]) => `${c} ${fmt(ms, 3)} ms (${fmt(explainRow!.ratio[c]!, 2)}x)`);
    log(`  explain convnet batch ${explainRow.batch} on ${explainBackend}: forward+backward ${fmt(explainRow.forwardBackwardMs, 3)} ms; LRP ${parts.join(', ')}`);
  }

  const cpus = os.cpus();
  const result: BenchResult = {
    machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, node: process.version, tfjs: tf.version_core, platform: `${os.platform()} ${os.arch()}` },
    settings,
    workloads: rows,
    pytorch: torchPython ? torchRows : null,
    ...(pytorchSkipped ? { pytorchSkipped } : {}),
    ...(explainRow ? { explain: explainRow } : {}),
  };
  process.stdout.write(`\n${benchTable(result)}\n\n`);
  process.stdout.write(`machine: ${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}, tfjs ${result.machine.tfjs}. Ratios (logitlab / PyTorch) are the claim, not absolute numbers.\n`);
  const torchRow = (result.pytorch ?? []).find((t): t is TorchRow => 'blas' in t);
  if (torchRow?.blas === 'generic') {
    process.stdout.write(`note: this PyTorch was built with BLAS_INFO=generic (a reference GEMM), so its Linear layers are slow; the MLP ratios flatter logitlab. Its convolutions use oneDNN, so the convnet ratio is the fair one.\n`);
  }
  if (flags.json) {
    const file = path.resolve(flags.json);
    writeJsonAtomic(file, result);
    process.stdout.write(`wrote ${file}\n`);
  }
}
