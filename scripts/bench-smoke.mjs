#!/usr/bin/env node
// CI smoke run of the benchmark (issue 8: "benchmarks are not tests"): one repeat of two steps per
// workload, through the built CLI in plain node, only to keep `logitlab bench` working. Checks the
// JSON shape, not the speed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('apps/trainer/dist/cli.js');
if (!fs.existsSync(cli)) {
  console.error(`bench-smoke: ${cli} is missing; run \`pnpm build\` first`);
  process.exit(1);
}
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-bench-')), 'bench.json');
const r = spawnSync(
  process.execPath,
  [cli, 'bench', '--repeats', '1', '--warmup', '1', '--steps', '2', '--warmup-sec', '0', '--json', out],
  { stdio: 'inherit' },
);
if (r.status !== 0) {
  console.error(`bench-smoke: logitlab bench exited with ${r.status}`);
  process.exit(1);
}
const result = JSON.parse(fs.readFileSync(out, 'utf8'));
const problems = [];
const workloads = ['convnet', 'sumpool-mlp', 'vae', 'bn-mlp'];
if (!Array.isArray(result.workloads) || result.workloads.length === 0) problems.push('workloads[] is missing or empty');
for (const name of workloads) {
  if (!result.workloads?.some((w) => w.name === name)) problems.push(`no result for workload ${name}`);
}
for (const w of result.workloads ?? []) {
  for (const key of ['trainSamplesPerSec', 'inferSamplesPerSec', 'leakedTensorsPerStep', 'peakRssMB']) {
    if (typeof w[key] !== 'number' || !Number.isFinite(w[key])) problems.push(`${w.name}/${w.backend}: ${key} is ${w[key]}`);
  }
  if (typeof w.backend !== 'string') problems.push(`${w.name}: backend missing`);
  if (w.trainSamplesPerSec <= 0 || w.inferSamplesPerSec <= 0) problems.push(`${w.name}/${w.backend}: non-positive throughput`);
  if (w.leakedTensorsPerStep !== 0) problems.push(`${w.name}/${w.backend}: leaks ${w.leakedTensorsPerStep} tensors per step`);
}
if (result.pytorch !== null && !Array.isArray(result.pytorch)) problems.push('pytorch must be null or an array');
if (problems.length) {
  console.error(`bench-smoke: FAILED\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `bench-smoke: ok (${result.workloads.length} rows, PyTorch ${result.pytorch ? 'compared' : `skipped: ${result.pytorchSkipped}`})`,
);
