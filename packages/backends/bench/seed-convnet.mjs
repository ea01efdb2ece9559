#!/usr/bin/env node
// Training speed of the seed convnet (batch 64, SGD) on one backend, against the BUILT package.
// Usage: node bench/seed-convnet.mjs <cpu|wasm> [threads] [--fused]
// One backend per process: wasm's thread count is fixed when it first starts.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';

const [backend = 'wasm', threadsArg = '1'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const fused = process.argv.includes('--fused');
const B = 64;
const info = await useBackend(backend, { threads: Number(threadsArg) });

const v = (shape, seed, std) => tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, std, 'float32', seed)));
const p = {
  w1: v([5, 5, 1, 10], 1, 0.2),
  b1: v([10], 2, 0.1),
  w2: v([5, 5, 10, 20], 3, 0.06),
  b2: v([20], 4, 0.1),
  w3: v([320, 50], 5, 0.05),
  b3: v([50], 6, 0.1),
  w4: v([50, 10], 7, 0.1),
  b4: v([10], 8, 0.1),
};
const x = tf.randomUniform([B, 28, 28, 1], 0, 1, 'float32', 9);
const y = tf.tidy(() =>
  tf.oneHot(
    tf.tensor1d(
      Array.from({ length: B }, (_, i) => i % 10),
      'int32',
    ),
    10,
  ),
);
const opt = tf.train.sgd(0.01);

// relu(maxPool(z)) == maxPool(relu(z)), so the fused variant applies bias + relu inside the conv.
const loss = fused
  ? () => {
      let h = tf.maxPool(tf.fused.conv2d({ x, filter: p.w1, strides: 1, pad: 'valid', bias: p.b1, activation: 'relu' }), 2, 2, 'valid');
      h = tf.maxPool(tf.fused.conv2d({ x: h, filter: p.w2, strides: 1, pad: 'valid', bias: p.b2, activation: 'relu' }), 2, 2, 'valid');
      h = tf.fused.matMul({ a: h.reshape([B, 320]), b: p.w3, bias: p.b3, activation: 'relu' });
      return tf.losses.softmaxCrossEntropy(y, tf.fused.matMul({ a: h, b: p.w4, bias: p.b4 }));
    }
  : () => {
      let h = tf.relu(tf.maxPool(tf.conv2d(x, p.w1, 1, 'valid').add(p.b1), 2, 2, 'valid'));
      h = tf.relu(tf.maxPool(tf.conv2d(h, p.w2, 1, 'valid').add(p.b2), 2, 2, 'valid'));
      h = tf.relu(tf.matMul(h.reshape([B, 320]), p.w3).add(p.b3));
      return tf.losses.softmaxCrossEntropy(y, tf.matMul(h, p.w4).add(p.b4));
    };

const slow = backend === 'cpu';
const [warm, steps, reps] = slow ? [1, 2, 2] : [3, 5, 5];
const step = () => opt.minimize(loss, true);
for (let i = 0; i < warm; i++) {
  const l = step();
  await l.data();
  l.dispose();
}
const rates = [];
const tensorsBefore = tf.memory().numTensors;
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  let last;
  for (let i = 0; i < steps; i++) {
    last?.dispose();
    last = step();
  }
  await last.data(); // one host read per repeat, not per step
  last.dispose();
  rates.push((steps * B) / ((performance.now() - t0) / 1000));
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)];
console.log(
  JSON.stringify({
    backend: info.name,
    threads: info.threads,
    simd: info.simd,
    fused,
    trainSamplesPerSec: Math.round(median),
    leakedTensors: tf.memory().numTensors - tensorsBefore,
  }),
);
