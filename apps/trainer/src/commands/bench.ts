import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { listBackends, type WebgpuAdapterInfo } from '@logitlab/backends';
import { setupBackend } from '../backend';
import { type ExplainBenchRow, measureExplain } from '../bench/explain';
import { type ExplainDatasetBenchRow, measureExplainDataset } from '../bench/explain-dataset';
import { formatThroughput } from '../dataset-run/throughput';
import { type BenchRow, measureWorkload } from '../bench/measure';
import {
  type SgemmRow,
  type TorchRow,
  blasThreadChoices,
  findTorchPython,
  runTorchBest,
  runTorchSgemm,
  torchScriptPath,
} from '../bench/torch';
import { WORKLOAD_FLOPS } from '../bench/workloads';
import { profileWorkload } from '../bench/profile';
import { BENCH_CHILD_ENV, measureIsolated } from '../bench/isolated';
import { writeJsonAtomic } from '../fsutil';
import type { BackendChoice } from '../options';
import { BENCH_WORKLOADS, type BenchFlags } from '../program';
import { fmt, markdownTable } from '../report';

/** Backends that can run in Node at all; webgl is browser-only (webgpu runs on Dawn when the `webgpu` package is installed). */
const NODE_BACKENDS = ['cpu', 'wasm', 'native', 'webgpu', 'tensorflow', 'tensorflow-gpu'];

/** Square size of the sgemm roofline measurement (large enough for OpenBLAS to reach its peak). */
const SGEMM_N = 1024;

export interface BenchResult {
  /** loadAverage: the 1-minute load average when the bench started and when it ended (a shared machine's noise). */
  machine: { cpu: string; cores: number; node: string; tfjs: string; platform: string; loadAverage: [number, number] };
  settings: { repeats: number; warmup: number; warmupSec: number; steps: number; threads: number };
  workloads: (BenchRow & { pytorchTrainRatio?: number; pytorchInferRatio?: number; trainGflops: number; inferGflops: number })[];
  pytorch: (TorchRow | { name: string; error: string })[] | null;
  pytorchSkipped?: string;
  /** Measured sgemm GFLOP/s of the BLAS under PyTorch (the best over OPENBLAS_NUM_THREADS choices). */
  roofline?: SgemmRow;
  /** Explaining a convnet batch with LRP vs forward + backward (one backend: wasm when chosen, it is the one explanations run on). */
  explain?: ExplainBenchRow;
  explainDataset?: ExplainDatasetBenchRow;
  /** The adapter the webgpu rows ran on; a software one (llvmpipe) makes them correctness-only. */
  webgpuAdapter?: WebgpuAdapterInfo;
}

/** 'webgpu (NVIDIA ..., vulkan)', or with a software adapter a label saying its numbers are not speed. */
export function backendLabel(backend: string, adapter: WebgpuAdapterInfo | undefined): string {
  if (backend !== 'webgpu' || !adapter) return backend;
  const kind = adapter.type === 'software' ? 'software adapter: correctness only, not speed' : adapter.api;
  return `webgpu (${adapter.name}; ${kind})`;
}

const gflops = (samplesPerSec: number, flopsPerSample: number): number => (samplesPerSec * flopsPerSample) / 1e9;

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
  const rows = result.workloads.flatMap((w) => {
    const t = torch.get(w.name);
    const torchTrainGflops = t ? fmt(gflops(t.trainSamplesPerSec, WORKLOAD_FLOPS[w.name]?.trainPerSample ?? 0), 1) : '-';
    const eager = [
      w.name,
      backendLabel(w.backend, result.webgpuAdapter),
      Math.round(w.trainSamplesPerSec),
      Math.round(w.inferSamplesPerSec),
      w.leakedTensorsPerStep,
      w.peakRssMB,
      t ? Math.round(t.trainSamplesPerSec) : '-',
      t ? Math.round(t.inferSamplesPerSec) : '-',
      fmt(w.trainGflops, 1),
      torchTrainGflops,
      w.pytorchTrainRatio !== undefined ? `${fmt(w.pytorchTrainRatio, 2)}x` : '-',
      w.pytorchInferRatio !== undefined ? `${fmt(w.pytorchInferRatio, 2)}x` : '-',
      '-',
      '-',
      '-',
      '-',
    ];
    const c = w.compiled;
    if (!c) return [eager];
    const f = WORKLOAD_FLOPS[w.name]?.trainPerSample ?? 0;
    const torchRatio = ratio(c.trainSamplesPerSec, t?.trainSamplesPerSec);
    const ci = w.compiledInfer;
    const torchInferRatio = ci ? ratio(ci.inferSamplesPerSec, t?.inferSamplesPerSec) : undefined;
    const compiled = [
      w.name,
      `${w.backend} compiled${c.fallback || ci?.fallback ? ' (eager: fallback)' : ''}`,
      Math.round(c.trainSamplesPerSec),
      ci ? Math.round(ci.inferSamplesPerSec) : '-',
      '-',
      '-',
      t ? Math.round(t.trainSamplesPerSec) : '-',
      t ? Math.round(t.inferSamplesPerSec) : '-',
      fmt(gflops(c.trainSamplesPerSec, f), 1),
      torchTrainGflops,
      torchRatio !== undefined ? `${fmt(torchRatio, 2)}x` : '-',
      torchInferRatio !== undefined ? `${fmt(torchInferRatio, 2)}x` : '-',
      `${fmt(c.eagerRatio, 2)}x${ci ? ` / ${fmt(ci.eagerRatio, 2)}x` : ''}`,
      c.kernelCallsPerStep,
      `${fmt(c.kernelMsPerStep, 2)} / ${fmt(c.engineMsPerStep, 2)}`,
      Math.round(c.arenaBytes / 1024),
    ];
    return [eager, compiled];
  });
  return markdownTable(
    [
      'workload',
      'backend',
      'train samples/s',
      'infer samples/s',
      'leaked tensors/step',
      'peak RSS MB',
      'PyTorch train/s',
      'PyTorch infer/s',
      'train GFLOP/s',
      'PyTorch train GFLOP/s',
      'train ratio',
      'infer ratio',
      'compiled / eager (train / infer)',
      'kernel calls/step',
      'kernel / engine ms/step',
      'arena KB',
    ],
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
  log(
    `bench: ${workloads.join(', ')} on ${backends.join(', ')}; ${flags.repeats} repeat(s) of up to ${flags.steps} steps after >= ${flags.warmup} warm-up steps and ${flags.warmupSec} s; ${flags.threads} threads`,
  );
  log(torchPython ? `bench: PyTorch ${torchPython.version} via ${torchPython.python}` : `bench: PyTorch side skipped: ${pytorchSkipped}`);

  const loadAtStart = os.loadavg()[0] ?? 0;
  let roofline: SgemmRow | undefined;
  if (torchPython && script) {
    for (const blas of blasThreadChoices(flags.threads)) {
      const r = runTorchSgemm(torchPython.python, script, SGEMM_N, flags.threads, blas);
      if (!('error' in r) && (!roofline || r.gflops > roofline.gflops)) roofline = r;
    }
    if (roofline)
      log(`bench: roofline: sgemm ${SGEMM_N}^3 ${fmt(roofline.gflops, 1)} GFLOP/s (OPENBLAS_NUM_THREADS=${roofline.blasThreads})`);
  }

  const rows: BenchResult['workloads'] = [];
  const torchRows: NonNullable<BenchResult['pytorch']> = [];
  let active = '';
  // several backends: each measured in its own process (see bench/isolated.ts); a child measures in-process
  const cli = process.argv[1];
  const isolate = backends.length > 1 && process.env[BENCH_CHILD_ENV] !== '1' && cli !== undefined;
  for (const name of workloads) {
    for (const backend of backends) {
      if (!isolate && active !== backend) {
        await setupBackend(backend as BackendChoice, { threads: flags.threads });
        active = backend;
      }
      const measured = isolate ? measureIsolated(cli, name, backend, flags, log) : await measureWorkload(name, backend, settings);
      const f = WORKLOAD_FLOPS[name] ?? { inferPerSample: 0, trainPerSample: 0 };
      const row = {
        ...measured,
        trainGflops: gflops(measured.trainSamplesPerSec, f.trainPerSample),
        inferGflops: gflops(measured.inferSamplesPerSec, f.inferPerSample),
      };
      log(
        `  ${name} on ${backend}: train ${Math.round(row.trainSamplesPerSec)}/s, infer ${Math.round(row.inferSamplesPerSec)}/s, leaked ${fmt(row.leakedTensorsPerStep)}/step`,
      );
      const c = row.compiled;
      const ci = row.compiledInfer;
      if (ci)
        log(
          `  ${name} on ${backend} compiled forward: infer ${Math.round(ci.inferSamplesPerSec)}/s (${fmt(ci.eagerRatio, 2)}x eager), ${ci.kernelCallsPerStep} kernel calls/call${ci.fallback ? `; ran eagerly: ${ci.fallback}` : ''}`,
        );
      if (c)
        log(
          `  ${name} on ${backend} compiled: train ${Math.round(c.trainSamplesPerSec)}/s (${fmt(c.eagerRatio, 2)}x eager), ${c.kernelCallsPerStep} kernel calls/step (eager ${c.eagerKernelCallsPerStep}), kernels ${fmt(c.kernelMsPerStep, 2)} ms + engine ${fmt(c.engineMsPerStep, 2)} ms/step (replay ceiling ${fmt(c.replayCeiling, 2)}x eager), arena ${Math.round(c.arenaBytes / 1024)} KB${c.fallback ? `; ran eagerly: ${c.fallback}` : ''}`,
        );
      rows.push(row);
      if (!isolate && process.env.LOGITLAB_BENCH_PROFILE === '1') {
        const p = await profileWorkload(name, backend);
        log(
          `    profile: step ${fmt(p.stepMs, 2)} ms, in kernels ${fmt(p.kernelMs, 2)} ms (${p.kernels.reduce((a, k) => a + k.callsPerStep, 0)} kernel calls)`,
        );
        for (const k of p.kernels) log(`      ${k.kernel.padEnd(24)} ${fmt(k.msPerStep, 3).padStart(8)} ms  x${k.callsPerStep}`);
      }
    }
    if (torchPython && script) {
      const t = runTorchBest(torchPython.python, script, name, settings);
      if ('error' in t) {
        torchRows.push({ name, error: t.error });
        log(`  ${name} on PyTorch failed: ${t.error}`);
      } else {
        torchRows.push(t);
        log(
          `  ${name} on PyTorch: train ${Math.round(t.trainSamplesPerSec)}/s (OpenBLAS ${t.trainBlasThreads} thr), infer ${Math.round(t.inferSamplesPerSec)}/s (${t.inferBlasThreads} thr)`,
        );
        for (const row of rows.filter((x) => x.name === name)) {
          row.pytorchTrainRatio = ratio(row.trainSamplesPerSec, t.trainSamplesPerSec);
          row.pytorchInferRatio = ratio(row.inferSamplesPerSec, t.inferSamplesPerSec);
        }
      }
    }
  }

  let explainRow: ExplainBenchRow | undefined;
  let datasetRow: ExplainDatasetBenchRow | undefined;
  // not webgpu: the explain bench reads synchronously
  const explainBackend = backends.includes('wasm') ? 'wasm' : backends.find((b) => b !== 'cpu' && b !== 'webgpu');
  if (workloads.includes('convnet') && explainBackend && process.env[BENCH_CHILD_ENV] !== '1') {
    await setupBackend(explainBackend as BackendChoice, { threads: flags.threads });
    explainRow = measureExplain(explainBackend, { repeats: flags.repeats });
    const parts = Object.entries(explainRow.lrpMs).map(([c, ms]) => `${c} ${fmt(ms, 3)} ms (${fmt(explainRow!.ratio[c]!, 2)}x)`);
    log(
      `  explain convnet batch ${explainRow.batch} on ${explainBackend}: forward+backward ${fmt(explainRow.forwardBackwardMs, 3)} ms; LRP ${parts.join(', ')}`,
    );
    // a smoke run (--repeats 1) measures one small batch: the full measurement is minutes on 2 cores.
    // On native when it is installed: that is what the CLI's --backend auto picks for explain --dataset.
    const datasetBackend = backends.includes('native') ? 'native' : explainBackend;
    if (datasetBackend !== explainBackend) await setupBackend(datasetBackend as BackendChoice, { threads: flags.threads });
    datasetRow = await measureExplainDataset(datasetBackend, { images: flags.repeats >= 3 ? 64 : 16 });
    log(
      `  explain --dataset convnet on ${datasetBackend}: ${datasetRow.images} images x ${datasetRow.methods.length} methods (${datasetRow.methods.join(', ')}), every metric family: ` +
        `${fmt(datasetRow.imageMethodsPerSec, 3)} images x methods/s (${fmt(datasetRow.imagesPerSec, 3)} images/s)`,
    );
    log(`  explain --dataset ${formatThroughput(datasetRow)}`);
  }

  const webgpuAdapter = backends.includes('webgpu') ? (await listBackends()).find((b) => b.name === 'webgpu')?.adapter : undefined;
  const cpus = os.cpus();
  const result: BenchResult = {
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      node: process.version,
      tfjs: tf.version_core,
      platform: `${os.platform()} ${os.arch()}`,
      loadAverage: [loadAtStart, os.loadavg()[0] ?? 0],
    },
    settings,
    workloads: rows,
    pytorch: torchPython ? torchRows : null,
    ...(pytorchSkipped ? { pytorchSkipped } : {}),
    ...(roofline ? { roofline } : {}),
    ...(explainRow ? { explain: explainRow } : {}),
    ...(datasetRow ? { explainDataset: datasetRow } : {}),
    ...(webgpuAdapter ? { webgpuAdapter } : {}),
  };
  process.stdout.write(`\n${benchTable(result)}\n\n`);
  process.stdout.write(
    `machine: ${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}, tfjs ${result.machine.tfjs}. Ratios (logitlab / PyTorch) are the claim, not absolute numbers.\n`,
  );
  if (roofline) {
    process.stdout.write(
      `roofline: sgemm ${SGEMM_N}x${SGEMM_N}x${SGEMM_N} float32 through PyTorch's BLAS: ${fmt(roofline.gflops, 1)} GFLOP/s ` +
        `(${roofline.threads} threads, OPENBLAS_NUM_THREADS=${roofline.blasThreads}); GFLOP/s columns count conv + matmul FLOPs only.\n`,
    );
  }
  process.stdout.write(
    `PyTorch: torch intra-op threads = ${flags.threads}, the better of OPENBLAS_NUM_THREADS=${blasThreadChoices(flags.threads).join(' and ')} per workload.\n`,
  );
  // results always land in a file as well: README numbers are generated from it (scripts/bench-readme.mjs)
  const file = path.resolve(flags.json ?? path.join('bench-results', 'latest.json'));
  writeJsonAtomic(file, result);
  process.stdout.write(`wrote ${file}\n`);
}
