#!/usr/bin/env node
// Where does Grad-CAM's peak fall on the shipped convnet, and why? Plain Node against the BUILT packages
// and the shipped weights (issue 25: "Grad-CAM's peak lies on the stroke"):
//   node apps/web/scripts/gradcam-peaks.mjs [--data <mnist dir>] [--n 200]
// Over make-weights.mjs's held-out MNIST digits (t10k split 9,000 / 1,000, seed 7), explaining the
// predicted class of convnet-logits, it prints how often the peak lands on ink (a pixel > 0.3):
// - the page's map (conv2, each cell on its receptive field's centre) and PyTorch's (pytorch-grad-cam
//   on model.conv2: the 8 x 8 map resized bilinearly over 28 x 28; explain's fixture test pins it);
// - per layer, the peak CELL: is the input at its receptive field's centre ink? against chance (the
//   share of that layer's cell centres on ink), for conv1 (24 x 24 cells, 5 x 5 fields), conv2
//   (8 x 8, 14 x 14) and conv2 after its ReLU;
// - the ink inside the peak conv2 cell's 14 x 14 field against the mean cell's;
// - the geometry, measured: the input pixels that move conv2's corner cells (their fields' bounds).
// It writes public/weights/gradcam-peaks.json, which the Classify page's Grad-CAM caption quotes.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { loadMnist, MNIST_MEAN, MNIST_STD, splitImageSet } from '@logitlab/datasets';
import { explain } from '@logitlab/explain';
import { loadSafetensorsInto } from '@logitlab/layers';
import { recipe } from '@logitlab/recipes';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const dataDir = opt('--data', path.resolve(here, '../../../../shared/data/mnist'));
const N = Number(opt('--n', 200));
const INK = 0.3;

await useBackend('wasm').catch(() => useBackend('cpu'));
const set = await loadMnist({ variant: 'mnist', split: 'test', root: dataDir });
const [, heldOut] = splitImageSet(set, 0.9, 7);
const model = recipe('convnet-logits').create();
loadSafetensorsInto(model, fs.readFileSync(path.resolve(here, '../public/weights/convnet-logits.safetensors')));
model.eval();

/** Grad-CAM of `layerOut` [1, h, w, C] for `score`, the rest of the net given as `rest(A)`. */
function camOf(A, rest, target, relu = false) {
  return tf.tidy(() => {
    const g = tf.grad((a) => rest(a).gather([target], 1).sum())(A);
    const acts = relu ? tf.relu(A) : A;
    return tf.relu(tf.sum(tf.mul(tf.mean(g, [1, 2], true), acts), 3)).dataSync();
  });
}

const pool = (t) => tf.maxPool(t, 2, 2, 'valid');
const head = (h) => model.fc2.call(tf.relu(model.fc1.call(tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [1, 320]))));
const afterConv2 = (a) => head(tf.relu(pool(a)));
const afterConv1 = (a) => afterConv2(model.conv2.call(tf.relu(pool(a))));

const argmax = (v) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);
/** Is the input at a cell's receptive-field centre ink? Centre start + jump * i, half-integer: the 2 x 2 pixels around it. */
function centreOnInk(ink, cell, cells, start, jump) {
  const cy = start + jump * Math.floor(cell / cells);
  const cx = start + jump * (cell % cells);
  const ys = [Math.floor(cy), Math.ceil(cy)];
  const xs = [Math.floor(cx), Math.ceil(cx)];
  return ys.some((y) => xs.some((x) => ink[y * 28 + x]));
}

/** The rows and columns of the input pixels whose gradient reaches conv2's cell (i, j): its receptive field. */
function measuredField(i, j) {
  const g = tf.tidy(() =>
    tf
      .grad((x) =>
        model.conv2
          .call(tf.relu(pool(model.conv1.call(x))))
          .slice([0, i, j, 0], [1, 1, 1, 20])
          .sum(),
      )(tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 3))
      .abs()
      .dataSync(),
  );
  const on = [...g.keys()].filter((p) => g[p] > 0);
  const rows = on.map((p) => Math.floor(p / 28));
  const cols = on.map((p) => p % 28);
  return { rows: [Math.min(...rows), Math.max(...rows)], cols: [Math.min(...cols), Math.max(...cols)] };
}
const geometry = { cell00: measuredField(0, 0), cell77: measuredField(7, 7) };

const counts = { pagePeak: 0, torchPeak: 0, conv1: 0, conv2: 0, conv2Relu: 0 };
const chance = { conv1: 0, conv2: 0 };
let peakFieldInk = 0;
let inkShare = 0;
let meanFieldInk = 0;
for (let k = 0; k < N; k++) {
  const raw = heldOut.images.subarray(k * 784, (k + 1) * 784);
  const ink = Array.from(raw, (v) => v > INK);
  inkShare += ink.filter(Boolean).length / 784 / N;
  const x = tf.tensor4d(
    Float32Array.from(raw, (v) => (v - MNIST_MEAN) / MNIST_STD),
    [1, 28, 28, 1],
  );
  const target = tf.tidy(() => argmax(Array.from(model.forward(x).dataSync())));
  for (const [key, upsample] of [
    ['pagePeak', 'receptiveField'],
    ['torchPeak', 'bilinear'],
  ]) {
    const { relevance } = explain(model, x, { method: 'gradCam', layer: 'conv2', upsample, target });
    if (ink[argmax(relevance.dataSync())]) counts[key]++;
    relevance.dispose();
  }
  const a1 = model.conv1.call(x);
  const a2 = tf.tidy(() => model.conv2.call(tf.relu(pool(a1))));
  const c1 = camOf(a1, afterConv1, target);
  const c2 = camOf(a2, afterConv2, target);
  const c2r = camOf(a2, afterConv2, target, true);
  tf.dispose([x, a1, a2]);
  // conv1 cells: 5 x 5 fields centred on pixel 2 + i; conv2 cells: 14 x 14 fields centred on 6.5 + 2i
  if (centreOnInk(ink, argmax(c1), 24, 2, 1)) counts.conv1++;
  if (centreOnInk(ink, argmax(c2), 8, 6.5, 2)) counts.conv2++;
  if (centreOnInk(ink, argmax(c2r), 8, 6.5, 2)) counts.conv2Relu++;
  for (let c = 0; c < 576; c++) chance.conv1 += centreOnInk(ink, c, 24, 2, 1) / 576;
  for (let c = 0; c < 64; c++) chance.conv2 += centreOnInk(ink, c, 8, 6.5, 2) / 64;
  const fieldInk = (cell) => {
    let s = 0;
    for (let y = 2 * Math.floor(cell / 8); y < 2 * Math.floor(cell / 8) + 14; y++)
      for (let xx = 2 * (cell % 8); xx < 2 * (cell % 8) + 14; xx++) s += raw[y * 28 + xx];
    return s;
  };
  peakFieldInk += fieldInk(argmax(c2));
  for (let c = 0; c < 64; c++) meanFieldInk += fieldInk(c) / 64;
}
const share = (n) => Number((n / N).toFixed(3));
const result = {
  digits: N,
  source: 'make-weights held-out MNIST test digits, convnet-logits, predicted class, ink = pixel > 0.3',
  // the peak pixel of the upsampled map on ink, and a random pixel's chance of being ink
  peakOnInk: { page: share(counts.pagePeak), pytorchBilinear: share(counts.torchPeak), randomPixel: Number(inkShare.toFixed(3)) },
  // the peak cell's receptive-field centre on ink, and the share of all cell centres on ink
  peakCellCentreOnInk: {
    conv1: share(counts.conv1),
    conv1Chance: share(chance.conv1),
    conv2: share(counts.conv2),
    conv2Chance: share(chance.conv2),
    conv2AfterRelu: share(counts.conv2Relu),
  },
  // summed ink (pixels in [0, 1]) in the peak conv2 cell's 14 x 14 field and in the mean cell's
  inkInConv2Field: { peakCell: Number((peakFieldInk / N).toFixed(1)), meanCell: Number((meanFieldInk / N).toFixed(1)) },
  conv2Fields: geometry,
};
fs.writeFileSync(path.resolve(here, '../public/weights/gradcam-peaks.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
