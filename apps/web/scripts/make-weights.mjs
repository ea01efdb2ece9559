#!/usr/bin/env node
// Produces the demo's pretrained weights: apps/web/public/weights/<id>.safetensors + manifest.json.
// Plain Node against the BUILT packages (run `pnpm build` first):
//   node apps/web/scripts/make-weights.mjs [--data <mnist dir>] [--quick] [--only convnet-logits,explainer] [--out <dir>]
// Data: real MNIST digits when the IDX files are found (default ../shared/data/mnist next to the
// repo, the 10k test split, of which 9,000 train and 1,000 are held out), else seeded synthetic digits.
// Every model, optimiser, size, data preparation and loss comes from @logitlab/recipes and trains
// through @logitlab/train's fit: this script only picks the data, the seeds and where files go.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { loadMnist, pairedDigits, splitImageSet, syntheticDigits } from '@logitlab/datasets';
import { explain } from '@logitlab/explain';
import { manualSeed, moduleToSafetensors } from '@logitlab/layers';
import { binaryCrossEntropy, gaussianKl, mseLoss, setPitfallWarnings } from '@logitlab/losses';
import { digitLikeShare } from '@logitlab/metrics';
import { fitOptionsOf, RECIPE_IDS, recipe } from '@logitlab/recipes';
import { evaluate, fit } from '@logitlab/train';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const outDir = path.resolve(flag('--out') ?? path.resolve(here, '../public/weights'));
const variant = args.includes('--quick') ? 'quick' : 'full';
const dataDir = flag('--data') ?? path.resolve(repoRoot, '../shared/data/mnist');
const only = flag('--only');

// The deliberately wrong heads (softmax / sigmoid into nllLoss) are part of the lesson: no warnings.
setPitfallWarnings(false);
const backend = await useBackend('wasm').catch(() => useBackend('cpu'));
console.log(`backend: ${backend.name} (${backend.threads} threads)`);

async function digits() {
  try {
    const set = await loadMnist({ variant: 'mnist', split: 'test', root: dataDir });
    const [train, test] = splitImageSet(set, 0.9, 7);
    return { train, test, source: `MNIST t10k from ${path.relative(repoRoot, dataDir)} (9,000 train / 1,000 held out)` };
  } catch (e) {
    console.log(`MNIST not found in ${dataDir} (${e.message.split('\n')[0]}); using synthetic digits`);
    const set = syntheticDigits({ count: 10000, seed: 7 });
    const [train, test] = splitImageSet(set, 0.9, 7);
    return { train, test, source: 'syntheticDigits({ count: 10000, seed: 7 })' };
  }
}

const data = await digits();
console.log(`data: ${data.source}`);
fs.mkdirSync(outDir, { recursive: true });
const manifestPath = path.join(outDir, 'manifest.json');
const manifest = fs.existsSync(manifestPath) ? JSON.parse(fs.readFileSync(manifestPath, 'utf8')) : { files: {} };
manifest.generatedBy = 'apps/web/scripts/make-weights.mjs';
manifest.files ??= {};

function save(id, model, metrics, description) {
  const metadata = {
    model: id,
    data: data.source,
    recipe: description,
    architecture: model.toString(),
    ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, String(v)])),
  };
  const bytes = moduleToSafetensors(model, metadata);
  const file = `${id}.safetensors`;
  // Atomic: a half-written asset must never be served.
  const tmp = path.join(outDir, `.${file}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, path.join(outDir, file));
  manifest.files[file] = { bytes: bytes.length, data: data.source, recipe: description, metrics };
  fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${file} (${(bytes.length / 1024).toFixed(0)} KiB) ${JSON.stringify(metrics)}`);
}

/** The seeds each family of weights has always used (weights stay comparable across regenerations). */
const SEEDS = {
  digits: { model: 1, loader: 1 },
  pairs: { model: 2, loader: 2, train: 21, test: 22 },
  latent: { model: 6, loader: 6 },
  pixels: { model: 8, loader: 8, samples: 9 },
};

const asData = (s) => ({ images: s.images, count: s.count, targets: s.labels });

/** Train and held-out sets as a recipe's loader takes them. */
function setsFor(r) {
  if (r.data !== 'pairs') return { train: asData(data.train), test: asData(data.test) };
  const pairs = r.variants[variant].pairs;
  const tr = pairedDigits(data.train, { count: pairs.train, seed: SEEDS.pairs.train });
  const te = pairedDigits(data.test, { count: Math.min(pairs.test, 1000), seed: SEEDS.pairs.test });
  return {
    train: { images: tr.images, count: tr.count, targets: tr.targets },
    test: { images: te.images, count: te.count, targets: te.targets },
  };
}

/**
 * Held-out reconstruction error (per-image sum: squared error for tanh decoders on [-1, 1], BCE for
 * sigmoid ones on [0, 1]) and KL of a latent model, z = mu; for a VAE also the share of 100 prior
 * samples closer to a held-out digit than to flat grey (@logitlab/metrics' digitLikeShare, the
 * measure of the trainer's VAE report), on the held-out digits as the model codes them.
 */
function latentMetrics(r, model, test) {
  return tf.tidy(() => {
    const pixels = r.prepareInputs(test.images);
    const x = tf.tensor2d(pixels, [test.count, 784]);
    const enc = model.encode(x);
    const rec = model.decode(enc.mu);
    const err = r.data === 'pixels' ? binaryCrossEntropy(rec, x, { reduction: 'sum' }) : mseLoss(rec, x, { reduction: 'sum' });
    const m = { reconstructionLoss: Number((err.dataSync()[0] / test.count).toFixed(3)) };
    if (enc.logVar) {
      m.kl = Number(gaussianKl(enc.mu, enc.logVar).dataSync()[0].toFixed(3));
      const samples = model.sample(100, SEEDS.pixels.samples).dataSync();
      m.priorSamplesDigitLike = digitLikeShare(Float32Array.from(samples), pixels, 784);
    }
    return m;
  });
}

/** Relevance conservation of Deep Taylor on trained weights, the property the Explain page displays. */
function conservation(model, test) {
  const x = tf.tensor2d(test.images.subarray(0, 50 * 1568), [50, 1568]);
  const { relevance, conservation: c } = explain(model, x, { method: 'lrp', composite: 'deepTaylor', bounds: [-0.5, 1.5] });
  let maxRel = 0;
  c.relError.forEach((r, i) => {
    if (c.output[i] > 1) maxRel = Math.max(maxRel, r);
  });
  tf.dispose([x, relevance]);
  return maxRel;
}

for (const id of RECIPE_IDS.filter((i) => i !== 'bn-mlp' && (!only || only.split(',').includes(i)))) {
  const r = recipe(id);
  const v = r.variants[variant];
  const seeds = SEEDS[r.data];
  const { train, test } = setsFor(r);
  manualSeed(seeds.model);
  const model = r.create();
  const optimizer = r.makeOptimizer();
  const opts = fitOptionsOf(r);
  const t0 = Date.now();
  const progress = {
    onEpochEnd: (_ctx, logs) =>
      console.log(`  ${id}: epoch ${logs.epoch + 1}/${v.epochs}, loss ${logs.loss.toFixed(4)}, ${((Date.now() - t0) / 1000).toFixed(0)}s`),
  };
  await fit(model, {
    ...opts,
    optimizer,
    data: r.loader(train, { batchSize: v.batchSize, seed: seeds.loader }),
    epochs: v.epochs,
    callbacks: [progress],
  });
  optimizer.dispose();
  model.eval();
  let metrics;
  if (r.data === 'latent' || r.data === 'pixels') metrics = latentMetrics(r, model, test);
  else {
    const res = await evaluate(model, r.loader(test, { batchSize: 500, seed: 0, shuffle: false }), opts.metrics, { forward: opts.forward });
    metrics = { heldOutAccuracy: Number(res.metrics.accuracy.toFixed(4)) };
    if (r.data === 'pairs') metrics.maxConservationRelError = conservation(model, test);
  }
  save(id, model, metrics, r.describe(variant));
  model.dispose();
}

const total = Object.values(manifest.files).reduce((s, f) => s + f.bytes, 0);
console.log(`total ${(total / 1024 / 1024).toFixed(2)} MiB in ${path.relative(repoRoot, outDir)}`);
// The threaded wasm backend's worker threads would keep Node alive.
process.exit(0);
