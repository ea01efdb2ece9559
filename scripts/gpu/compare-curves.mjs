#!/usr/bin/env node
// Trains `logitlab train <model> --quick` with the same seed on two or more backends (the built CLI, each
// in its own process) and prints how far each loss curve lies from the first backend's: max |Δloss| over
// every step, where it is largest, and the first step past the tolerance. Issue 21 asks for webgpu
// within 1e-3 of cpu; a third backend (wasm: the same math, another float32 summation order) shows how
// much drift training makes out of rounding alone, so the webgpu number can be read against it.
//
//   node scripts/gpu/compare-curves.mjs [--backends cpu,webgpu,wasm] [--model convnet] [--seed 0]
//       [--epochs n] [--reference-epochs n] [--out dir] [--reuse] [--serial]
//
// Slow on a software adapter (llvmpipe) and on cpu (pure-JS convolutions): run it niced, in the
// background. --reference-epochs trains the first backend for fewer epochs (an epoch's steps do not
// depend on how many follow; the curves are compared over the steps both have). --reuse reads the
// curves in --out, as far as each run got, instead of training. Exit status 0 whatever the distance:
// it measures, it does not judge.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'apps/trainer/bin/logitlab.mjs');
const TOLERANCE = 1e-3;

function parseArgs(argv) {
  const o = {
    backends: ['cpu', 'webgpu', 'wasm'],
    model: 'convnet',
    seed: 0,
    epochs: undefined,
    referenceEpochs: undefined,
    out: undefined,
    reuse: false,
    serial: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--backends') o.backends = value().split(',').filter(Boolean);
    else if (a === '--model') o.model = value();
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--epochs') o.epochs = Number(value());
    else if (a === '--reference-epochs') o.referenceEpochs = Number(value());
    else if (a === '--out') o.out = path.resolve(value());
    else if (a === '--reuse') o.reuse = true;
    else if (a === '--serial') o.serial = true;
    else
      throw new Error(
        `unknown argument ${a} (expected --backends, --model, --seed, --epochs, --reference-epochs, --out, --reuse, --serial)`,
      );
  }
  if (o.backends.length < 2) throw new Error(`--backends needs two or more names, got ${o.backends.join(',')}`);
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new Error(`--seed must be a non-negative integer, got ${o.seed}`);
  for (const [flag, v] of [
    ['--epochs', o.epochs],
    ['--reference-epochs', o.referenceEpochs],
  ])
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new Error(`${flag} must be a positive integer, got ${v}`);
  o.out ??= fs.mkdtempSync(path.join(os.tmpdir(), 'compare-curves-'));
  fs.mkdirSync(o.out, { recursive: true });
  return o;
}

/** Trains on one backend into `dir`; resolves to the run's wall time in seconds. */
function train(o, backend, dir) {
  const args = [cli, 'train', o.model, '--quick', '--backend', backend, '--seed', String(o.seed), '--out', dir];
  const epochs = backend === o.backends[0] ? (o.referenceEpochs ?? o.epochs) : o.epochs;
  if (epochs !== undefined) args.push('--epochs', String(epochs));
  const log = fs.openSync(`${dir}.log`, 'w');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', log, log], cwd: root });
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.closeSync(log);
      if (code === 0) resolve((Date.now() - started) / 1000);
      else reject(new Error(`train on ${backend} exited with ${code}; see ${dir}.log`));
    });
  });
}

/** The per-step losses of a run, from its metrics.jsonl, indexed by global step. */
function curveOf(dir) {
  const file = path.join(dir, 'metrics.jsonl');
  const steps = new Map();
  if (!fs.existsSync(file)) return []; // a run (--reuse) that has not logged a step yet
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    if (r.type === 'step' && typeof r.step === 'number') steps.set(r.step, r.loss);
  }
  return [...steps.entries()].toSorted((a, b) => a[0] - b[0]).map(([, loss]) => loss);
}

/** max |a - b| over the common steps, its step, and the first step past TOLERANCE. */
function distance(a, b) {
  let max = 0;
  let at = -1;
  let firstOver = -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) [max, at] = [d, i]; // NaN counts as the largest
    if (firstOver < 0 && !(d <= TOLERANCE)) firstOver = i;
  }
  return { max, at, firstOver, steps: Math.min(a.length, b.length) };
}

const o = parseArgs(process.argv.slice(2));
const dirs = Object.fromEntries(o.backends.map((b) => [b, path.join(o.out, b)]));
const seconds = {};
if (!o.reuse) {
  console.log(`training ${o.model} --quick (seed ${o.seed}) on ${o.backends.join(', ')} into ${o.out} (logs: <backend>.log there)`);
  const run = async (b) => (seconds[b] = await train(o, b, dirs[b]));
  if (o.serial) for (const b of o.backends) await run(b);
  else await Promise.all(o.backends.map(run));
}
const curves = Object.fromEntries(o.backends.map((b) => [b, curveOf(dirs[b])]));
const [reference, ...others] = o.backends;
const ref = curves[reference];
const fmt = (v) => (Number.isFinite(v) ? v.toExponential(2) : String(v));

console.log(
  `\n${o.model} --quick, seed ${o.seed}: loss curves against ${reference} (${ref.length} steps); load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`| backend | steps | max abs Δloss | at step | first step over ${TOLERANCE} | wall s |`);
console.log('|---|---|---|---|---|---|');
for (const b of others) {
  const d = distance(curves[b], ref);
  if (d.steps === 0) {
    console.log(`| ${b} | 0 (no step logged yet) | - | - | - | - |`);
    continue;
  }
  console.log(
    `| ${b} | ${d.steps} | ${fmt(d.max)} | ${d.at} | ${d.firstOver < 0 ? 'none' : d.firstOver} | ${seconds[b]?.toFixed(0) ?? '-'} |`,
  );
}
// the drift as it grows: |Δloss| at a few steps, the last included
const marks = [...new Set([0, 1, 5, 10, 20, 50, 100, 150, 200, 250, ref.length - 1].filter((s) => s < ref.length))];
console.log(`\n| step | ${reference} loss | ${others.map((b) => `|Δ| ${b}`).join(' | ')} |`);
console.log(`|---|---|${others.map(() => '---').join('|')}|`);
for (const s of marks)
  console.log(`| ${s} | ${ref[s].toFixed(6)} | ${others.map((b) => fmt(Math.abs((curves[b][s] ?? NaN) - ref[s]))).join(' | ')} |`);
