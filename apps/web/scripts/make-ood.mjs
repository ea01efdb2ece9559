#!/usr/bin/env node
// Measures what "near the training data" means for the shipped Classify and Explain weights, so the
// pages can flag inputs the models never saw (apps/web/public/weights/ood.json). Plain Node against
// the BUILT packages and the shipped weights (run `pnpm build` and make-weights.mjs first):
//   node apps/web/scripts/make-ood.mjs [--data <mnist dir>]
// The digits are make-weights.mjs's: the MNIST t10k split 9,000 train / 1,000 held out (seed 7), the
// Explain pairs built from them with the same seeds. For each page it records
// - ink: the 0.5% and 99.5% quantiles of a training digit's pixel mass (sum of [0, 1] pixels);
// - a reference set: penultimate-layer features of REFERENCE training inputs (bytes, see quantised());
// - distance: the 99% quantile of the held-out inputs' distance to their nearest reference feature
//   (an input farther than that is farther than 99% of unseen MNIST inputs are);
// - Explain only: how often the held-out pairs' answer (f > 50: a target digit is present) was right,
//   in bins of f(x) 10 wide, so the page can say how far an answer at this f is to be trusted.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { loadMnist, MNIST_MEAN, MNIST_STD, pairedDigits, splitImageSet } from '@logitlab/datasets';
import { loadSafetensorsInto } from '@logitlab/layers';
import { recipe } from '@logitlab/recipes';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const args = process.argv.slice(2);
const at = args.indexOf('--data');
const dataDir = at >= 0 ? args[at + 1] : path.resolve(repoRoot, '../shared/data/mnist');
const weightsDir = path.resolve(here, '../public/weights');
const REFERENCE = 1000;
const HELD_OUT = 2000;
const BIN_EDGES = Array.from({ length: 13 }, (_, i) => i * 10); // 0, 10, ..., 120
const QUANTILE = 0.99;
// The Explain page's pixel coding (src/models/coding.ts EXPLAINER_RANGE).
const EXPLAINER_RANGE = [-0.5, 1.5];

await useBackend('wasm').catch(() => useBackend('cpu'));
const set = await loadMnist({ variant: 'mnist', split: 'test', root: dataDir });
const [train, test] = splitImageSet(set, 0.9, 7);

function quantile(values, q) {
  const s = Float64Array.from(values).toSorted();
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
}
const mass = (pixels, offset, width, rowStride) => {
  let m = 0;
  for (let y = 0; y < 28; y++) for (let x = 0; x < width; x++) m += pixels[offset + y * rowStride + x];
  return m;
};
function model(id) {
  const m = recipe(id).create();
  loadSafetensorsInto(m, fs.readFileSync(path.join(weightsDir, `${id}.safetensors`)));
  m.eval();
  return m;
}
/** Distance of each row of `q` [n, d] to its nearest row of `ref` [m, d]. */
function nearest(q, ref, d) {
  const n = q.length / d;
  const m = ref.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (q[i * d + k] - ref[j * d + k]) ** 2;
      if (s < best) best = s;
    }
    out[i] = Math.sqrt(best);
  }
  return out;
}
/**
 * A reference set as bytes: features are ReLU outputs (>= 0), stored as round(v / scale * 255), which
 * keeps the file small (1000 x 100 features: 130 KB of base64 instead of 530). Distances are
 * measured against these quantised values, so the threshold matches what the page computes.
 */
function quantised(f32) {
  let scale = 0;
  for (const v of f32) scale = Math.max(scale, v);
  scale ||= 1;
  const bytes = Uint8Array.from(f32, (v) => Math.round((Math.max(0, v) / scale) * 255));
  return { scale, bytes, values: Float32Array.from(bytes, (b) => (b / 255) * scale) };
}
const b64 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64');
const round = (x) => Number(x.toPrecision(4));

// ---------- Classify: the convnet (logits head, the right pairing) fc1 + relu, 50 units ----------
const convnet = model('convnet-logits');
const convFeatures = (images, count) =>
  tf.tidy(() => {
    const x = tf.tensor4d(
      images.subarray(0, count * 784).map((p) => (p - MNIST_MEAN) / MNIST_STD),
      [count, 28, 28, 1],
    );
    // the page's src/models/activations.ts path: conv, pool, relu twice, NCHW flatten, fc1, relu
    const p1 = tf.relu(tf.maxPool(convnet.conv1.call(x), 2, 2, 'valid'));
    const p2 = tf.relu(tf.maxPool(convnet.conv2.call(p1), 2, 2, 'valid'));
    const flat = tf.reshape(tf.transpose(p2, [0, 3, 1, 2]), [count, 320]);
    return tf.relu(convnet.fc1.call(flat)).dataSync();
  });
const digitMass = Array.from({ length: train.count }, (_, i) => mass(train.images, i * 784, 28, 28));
const convRef = quantised(convFeatures(train.images, REFERENCE));
const convHeld = convFeatures(test.images, Math.min(HELD_OUT, test.count));
const convDist = nearest(convHeld, convRef.values, 50);

// ---------- Explain: the sum-pool network's pooled detections, 100 units ----------
const explainer = model('explainer');
const pairsOf = (src, count, seed) => pairedDigits(src, { count, seed, range: EXPLAINER_RANGE });
const trainPairs = pairsOf(train, REFERENCE, 21);
const heldPairs = pairsOf(test, HELD_OUT, 22);
const pairFeatures = (pairs) =>
  tf.tidy(() => {
    const x = tf.tensor2d(pairs.images, [pairs.count, 28 * 56]);
    const pooled = explainer.pool.call(tf.relu(explainer.fc1.call(x)));
    return { features: pooled.dataSync(), f: explainer.call(x).dataSync() };
  });
const pairRef = quantised(pairFeatures(trainPairs).features);
const held = pairFeatures(heldPairs);
const pairDist = nearest(held.features, pairRef.values, 100);
// bins: below 0, [0, 10), ..., [110, 120), 120 and above
const bins = Array.from({ length: BIN_EDGES.length + 1 }, () => ({ n: 0, right: 0 }));
held.f.forEach((f, i) => {
  const bin = bins[BIN_EDGES.filter((e) => f >= e).length];
  bin.n++;
  if (f > 50 === heldPairs.positive[i] > 0) bin.right++;
});

const out = {
  generatedBy: 'apps/web/scripts/make-ood.mjs',
  data: `MNIST t10k from ${path.relative(repoRoot, dataDir)} (9,000 train / 1,000 held out, as make-weights.mjs)`,
  quantile: QUANTILE,
  classify: {
    model: 'convnet-logits',
    layer: 'fc1 + relu (50 units)',
    ink: { low: round(quantile(digitMass, 0.005)), high: round(quantile(digitMass, 0.995)) },
    dim: 50,
    scale: convRef.scale,
    reference: b64(convRef.bytes),
    distance: round(quantile(convDist, QUANTILE)),
  },
  explain: {
    model: 'explainer',
    layer: 'fc1 + relu, sum-pooled (100 units)',
    ink: { low: round(quantile(digitMass, 0.005)), high: round(quantile(digitMass, 0.995)) },
    dim: 100,
    scale: pairRef.scale,
    reference: b64(pairRef.bytes),
    distance: round(quantile(pairDist, QUANTILE)),
    // The answer is "yes" above this f(x) (the page's threshold, half of the training targets 100 / 0).
    threshold: 50,
    reliability: { edges: BIN_EDGES, n: bins.map((b) => b.n), right: bins.map((b) => b.right) },
  },
};
fs.writeFileSync(path.join(weightsDir, 'ood.json'), `${JSON.stringify(out)}\n`);
const { reference: _a, ...c } = out.classify;
const { reference: _b, ...e } = out.explain;
console.log(JSON.stringify({ classify: c, explain: e }, null, 1));
process.exit(0);
