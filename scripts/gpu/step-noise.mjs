#!/usr/bin/env node
// One training step of the --quick convnet from IDENTICAL weights on several backends: the loss and every
// parameter's gradient against the first backend's. It tells apart a kernel that computes something else
// (a gradient off by far more than float32 rounding) from rounding that training amplifies step by step
// (each step agrees to ~1e-6, yet the curves drift apart): compare-curves.mjs measures the drift.
//
//   node scripts/gpu/step-noise.mjs [--backends cpu,webgpu,wasm] [--seed 0] [checkpoint.safetensors ...]
//
// The weights are the recipe's initial ones for the seed, then each checkpoint's (a trained point, e.g.
// one compare-curves.mjs left in <out>/<backend>/checkpoints). The batch is the first 64 synthetic digits,
// in train mode with the same dropout masks everywhere (they are drawn on the host, seeded).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// the trainer depends on every package: resolve them as it does (the root package has none), all as CommonJS
// so that they share one tfjs-core
const require = createRequire(path.join(root, 'apps/trainer/package.json'));
const tf = require('@tensorflow/tfjs-core');
const { useBackend } = require('@logitlab/backends');
const { recipe } = require('@logitlab/recipes');
const { syntheticDigits } = require('@logitlab/datasets');
const { manualSeed } = require('@logitlab/layers');
const { loadCheckpoint } = require('@logitlab/train');

const BATCH = 64;
const args = process.argv.slice(2);
let backends = ['cpu', 'webgpu', 'wasm'];
let seed = 0;
const checkpoints = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--backends') backends = (args[++i] ?? '').split(',').filter(Boolean);
  else if (args[i] === '--seed') seed = Number(args[++i]);
  else if (args[i].startsWith('--')) throw new Error(`unknown option ${args[i]} (expected --backends, --seed)`);
  else checkpoints.push(path.resolve(args[i]));
}
if (backends.length < 2) throw new Error(`--backends needs two or more names, got ${backends.join(',')}`);

const r = recipe('convnet-logits');
const digits = syntheticDigits({ count: BATCH, seed });
const images = r.prepareInputs(digits.images);

/** Loss and gradients (name -> values) of one train-mode step on `backend` at the given weights. */
async function step(backend, weights) {
  await useBackend(backend, { threads: 1 });
  manualSeed(seed);
  const model = r.create();
  if (weights) await loadCheckpoint(weights, model);
  model.train();
  manualSeed(seed + 1); // the same dropout masks on every backend
  const x = tf.tensor(images, [BATCH, ...r.sampleShape]);
  const y = tf.tensor1d(Array.from(digits.labels), 'int32');
  const params = model.namedParameters();
  const { value, grads } = tf.variableGrads(
    () => r.loss(model.call(x), y),
    params.map(([, p]) => p),
  );
  const loss = (await value.data())[0];
  const out = {};
  for (const [name, p] of params) out[name] = await grads[p.name].data();
  tf.dispose([value, ...Object.values(grads), x, y]);
  model.dispose();
  return { loss, grads: out };
}

// max |a - b| / max |b|, as the differential kernel tests measure
function relativeError(a, b) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

const fmt = (v) => v.toExponential(2);
console.log(
  `one step of convnet-logits, batch ${BATCH}, seed ${seed}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`| weights | backend | loss | abs Δloss vs ${backends[0]} | max relative gradient error (parameter) |`);
console.log('|---|---|---|---|---|');
for (const file of [undefined, ...checkpoints]) {
  const weights = file ? new Uint8Array(fs.readFileSync(file)) : undefined;
  const label = file ? path.relative(process.cwd(), file) : `initial (seed ${seed})`;
  const ref = await step(backends[0], weights);
  console.log(`| ${label} | ${backends[0]} | ${ref.loss.toFixed(7)} | - | - |`);
  for (const b of backends.slice(1)) {
    const got = await step(b, weights);
    let worst = ['', 0];
    for (const [name, g] of Object.entries(ref.grads)) {
      const e = relativeError(got.grads[name], g);
      if (!(e <= worst[1])) worst = [name, e];
    }
    console.log(`| ${label} | ${b} | ${got.loss.toFixed(7)} | ${fmt(Math.abs(got.loss - ref.loss))} | ${fmt(worst[1])} (${worst[0]}) |`);
  }
}
