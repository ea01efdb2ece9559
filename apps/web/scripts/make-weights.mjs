#!/usr/bin/env node
// Produces the demo's pretrained weights: apps/web/public/weights/<id>.safetensors + manifest.json.
// Plain Node against the BUILT packages (run `pnpm build` first):
//   node apps/web/scripts/make-weights.mjs [--data <mnist dir>] [--quick]
// Data: real MNIST digits when the IDX files are found (default ../shared/data/mnist next to the
// repo, the 10k test split, of which 9,000 train and 1,000 are held out), else seeded synthetic digits.
// Recipes match apps/trainer's (seed convnet: SGD lr 0.01 momentum 0.5; explainer, VAE, AE: Adam),
// and the pixel codings match apps/web/src/models/coding.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { DataLoader, loadMnist, normalize, pairedDigits, scaleTo, splitImageSet, syntheticDigits } from '@logitlab/datasets';
import { explain } from '@logitlab/explain';
import { manualSeed, moduleToSafetensors } from '@logitlab/layers';
import { crossEntropy, gaussianKl, mseLoss, nllLoss, setPitfallWarnings, vaeLoss } from '@logitlab/losses';
import { Autoencoder, MnistConvNet, SumPoolExplainer, Vae } from '@logitlab/models';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const outDir = path.resolve(here, '../public/weights');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const dataDir = flag('--data') ?? path.resolve(repoRoot, '../shared/data/mnist');
const only = flag('--only'); // e.g. --only convnet-logits

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

/** Trains with optimizer.minimize over the loader for `epochs`, logging now and then. */
function trainModel(model, { loader, epochs, optimizer, objective, afterStep, label }) {
  model.train();
  let step = 0;
  const t0 = Date.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    let last = NaN;
    for (const { x, y } of loader) {
      const loss = optimizer.minimize(() => objective(x, y), true, model.parameters());
      afterStep?.();
      if (++step % 50 === 0) last = loss.dataSync()[0];
      tf.dispose([x, y, loss]);
    }
    console.log(`  ${label}: epoch ${epoch + 1}/${epochs}, loss ${last.toFixed(4)}, ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  }
  optimizer.dispose();
  model.eval();
}

function batched(n, size, fn) {
  const out = [];
  for (let i = 0; i < n; i += size) out.push(...fn(i, Math.min(n, i + size)));
  return out;
}

const data = await digits();
console.log(`data: ${data.source}`);
fs.mkdirSync(outDir, { recursive: true });
const manifestPath = path.join(outDir, 'manifest.json');
const manifest = fs.existsSync(manifestPath) ? JSON.parse(fs.readFileSync(manifestPath, 'utf8')) : { files: {} };
manifest.generatedBy = 'apps/web/scripts/make-weights.mjs';
manifest.files ??= {};

function save(id, model, metrics, recipe) {
  const metadata = { model: id, data: data.source, recipe, ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, String(v)])) };
  const bytes = moduleToSafetensors(model, metadata);
  const file = `${id}.safetensors`;
  // Atomic: a half-written asset must never be served.
  const tmp = path.join(outDir, `.${file}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, path.join(outDir, file));
  manifest.files[file] = { bytes: bytes.length, data: data.source, recipe, metrics };
  fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${file} (${(bytes.length / 1024).toFixed(0)} KiB) ${JSON.stringify(metrics)}`);
  model.dispose();
}

const want = (id) => !only || only.split(',').includes(id);
const mnistNorm = normalize();

// ---- convnet, one per head (issue "heads": the seed's recipe, same seed and data for all four)
for (const head of ['logits', 'logSoftmax', 'softmax', 'sigmoid']) {
  const id = `convnet-${head}`;
  if (!want(id)) continue;
  manualSeed(1);
  const model = new MnistConvNet({ head });
  const loader = new DataLoader({ x: data.train.images, xShape: [28, 28, 1], y: data.train.labels, yShape: [] }, { batchSize: 64, shuffle: true, seed: 1, transform: mnistNorm });
  const epochs = quick ? 1 : 8;
  trainModel(model, {
    loader,
    epochs,
    label: id,
    optimizer: tf.train.momentum(0.01, 0.5),
    objective: (x, y) => (head === 'logits' ? crossEntropy(model.call(x), y) : nllLoss(model.call(x), y)),
  });
  const testX = data.test.images.map((p) => (p - 0.1307) / 0.3081);
  const preds = batched(data.test.count, 500, (a, b) =>
    tf.tidy(() => Array.from(tf.argMax(model.call(tf.tensor4d(testX.subarray(a * 784, b * 784), [b - a, 28, 28, 1])), -1).dataSync())),
  );
  const acc = preds.filter((p, i) => p === data.test.labels[i]).length / data.test.count;
  save(id, model, { heldOutAccuracy: Number(acc.toFixed(4)) }, `SGD lr 0.01 momentum 0.5, batch 64, ${epochs} epochs, ${head === 'logits' ? 'crossEntropy' : 'nllLoss'}`);
}

// ---- sum-pool explainer on Montavon two-digit images (targets 0-3 vs distractors 4-9)
if (want('explainer')) {
  manualSeed(2);
  const model = new SumPoolExplainer({ nonPositiveBias: true });
  const trainPairs = pairedDigits(data.train, { count: quick ? 4000 : 30000, seed: 21 });
  const testPairs = pairedDigits(data.test, { count: 1000, seed: 22 });
  const loader = new DataLoader({ x: trainPairs.images, xShape: [28 * 56], y: trainPairs.targets, yShape: [1] }, { batchSize: 64, shuffle: true, seed: 2 });
  const epochs = quick ? 1 : 6;
  trainModel(model, {
    loader,
    epochs,
    label: 'explainer',
    optimizer: tf.train.adam(0.001),
    objective: (x, y) => mseLoss(model.call(x), y),
    afterStep: () => model.projectBiases(),
  });
  const f = batched(testPairs.count, 250, (a, b) => tf.tidy(() => Array.from(model.call(tf.tensor2d(testPairs.images.subarray(a * 1568, b * 1568), [b - a, 1568])).dataSync())));
  const acc = f.filter((v, i) => v > 50 === testPairs.targets[i] > 50).length / testPairs.count;
  // Conservation on trained weights, the property the Explain page displays.
  const x = tf.tensor2d(testPairs.images.subarray(0, 50 * 1568), [50, 1568]);
  const { relevance, conservation } = explain(model, x, { method: 'lrp', composite: 'deepTaylor', bounds: [-0.5, 1.5] });
  let maxRel = 0;
  conservation.relError.forEach((r, i) => {
    if (conservation.output[i] > 1) maxRel = Math.max(maxRel, r);
  });
  tf.dispose([x, relevance]);
  save('explainer', model, { heldOutAccuracy: Number(acc.toFixed(4)), maxConservationRelError: maxRel }, `Adam lr 0.001, batch 64, ${epochs} epochs, MSE to 100/0, biases projected <= 0`);
}

// ---- VAE per beta and the plain autoencoder, on digits scaled to [-1, 1] (tanh decoders)
const latentX = data.train.images;
for (const id of ['vae-0.5', 'vae-1', 'vae-5', 'autoencoder']) {
  if (!want(id)) continue;
  manualSeed(6);
  const isVae = id !== 'autoencoder';
  const beta = isVae ? Number(id.slice(4)) : 0;
  const model = isVae ? new Vae({ input: 784, latent: 30, decoderActivation: 'tanh' }) : new Autoencoder({ input: 784, latent: 30, decoderActivation: 'tanh' });
  const loader = new DataLoader({ x: latentX, xShape: [784], y: data.train.labels, yShape: [] }, { batchSize: 128, shuffle: true, seed: 6, transform: scaleTo(-1, 1) });
  const epochs = quick ? 2 : 30;
  trainModel(model, {
    loader,
    epochs,
    label: id,
    optimizer: tf.train.adam(0.001),
    objective: (x) => {
      const out = model.forwardWithLatent(x);
      if (!out.logVar) return tf.div(mseLoss(out.reconstruction, x, { reduction: 'sum' }), x.shape[0]);
      return vaeLoss({ reconstruction: out.reconstruction, input: x, mu: out.mu, logVar: out.logVar }, { beta }).loss;
    },
  });
  const metrics = tf.tidy(() => {
    const x = tf.tensor2d(data.test.images.map((p) => p * 2 - 1), [data.test.count, 784]);
    const enc = model.encode(x);
    const m = { reconstructionLoss: Number((mseLoss(model.decode(enc.mu), x, { reduction: 'sum' }).dataSync()[0] / data.test.count).toFixed(3)) };
    if (enc.logVar) m.kl = Number(gaussianKl(enc.mu, enc.logVar).dataSync()[0].toFixed(3));
    return m;
  });
  save(id, model, metrics, `Adam lr 0.001, batch 128, ${epochs} epochs, ${isVae ? `vaeLoss(mse, beta ${beta})` : 'MSE summed per sample'}`);
}

const total = Object.values(manifest.files).reduce((s, f) => s + f.bytes, 0);
console.log(`total ${(total / 1024 / 1024).toFixed(2)} MiB in ${path.relative(repoRoot, outDir)}`);
// The threaded wasm backend's worker threads would keep Node alive.
process.exit(0);
