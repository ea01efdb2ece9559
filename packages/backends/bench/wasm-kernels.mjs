#!/usr/bin/env node
// Our wasm kernels (src/wasm: Tanh, Exp, Transpose) against the stock tfjs-backend-wasm ones they replace,
// against the BUILT package. Usage: node bench/wasm-kernels.mjs [threads]
// The two are called alternately, one call each, and per-element times are the medians: on a machine that
// other processes keep busy this compares like with like, where two runs one after the other did not.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { useBackend } from '@logitlab/backends';

const NAMES = ['Tanh', 'Exp', 'Transpose'];
// captured before useBackend registers ours over them
const stock = Object.fromEntries(NAMES.map((k) => [k, tf.getKernel(k, 'wasm').kernelFunc]));
await useBackend('wasm', { threads: Number(process.argv[2] ?? 1) });
const ours = Object.fromEntries(NAMES.map((k) => [k, tf.getKernel(k, 'wasm').kernelFunc]));
const backend = tf.backend();

const cases = [
  ['Tanh', [128, 784], {}],
  ['Tanh', [128, 30], {}],
  ['Exp', [128, 784], {}],
  ['Exp', [128, 30], {}],
  ['Transpose', [256, 784], { perm: [1, 0] }],
  ['Transpose', [128, 784], { perm: [1, 0] }],
];
const median = (a) => a.toSorted((p, q) => p - q)[a.length >> 1];
for (const [name, shape, attrs] of cases) {
  const x = tf.mul(tf.randomNormal(shape), 3);
  const once = (kernel) => {
    const t = performance.now();
    backend.disposeData(kernel({ inputs: { x }, backend, attrs }).dataId);
    return performance.now() - t;
  };
  const times = { stock: [], ours: [] };
  for (let i = 0; i < 330; i++) {
    const s = once(stock[name]);
    const o = once(ours[name]);
    // the first calls warm the JIT
    if (i >= 30) {
      times.stock.push(s);
      times.ours.push(o);
    }
  }
  const ns = (ms) => ((ms * 1e6) / x.size).toFixed(2);
  const [s, o] = [median(times.stock), median(times.ours)];
  console.log(`${name.padEnd(9)} ${shape.join('x').padEnd(8)} stock ${ns(s)} ns/element, ours ${ns(o)}: ${(s / o).toFixed(2)}x`);
  x.dispose();
}
