// How far synthetic digits carry to real MNIST: softmax regression (plain JS, no tfjs) trained on
// synthetic digits, evaluated on held-out synthetic and on the real MNIST test set.
// Usage: pnpm exec tsx scripts/synthetic-vs-mnist.ts [mnistDir]
import { loadMnist, syntheticDigits } from '../src/index';
import type { ImageSet } from '../src/index';

const D = 785; // 784 pixels + bias
const train = syntheticDigits({ count: 30000, seed: 100 });
const held = syntheticDigits({ count: 5000, seed: 200 });
const w = new Float64Array(10 * D);
const logits = new Float64Array(10);

function scores(set: ImageSet, i: number): void {
  for (let k = 0; k < 10; k++) {
    let s = w[k * D + 784] as number;
    for (let p = 0; p < 784; p++) s += (w[k * D + p] as number) * (set.images[i * 784 + p] as number);
    logits[k] = s;
  }
}

function accuracy(set: ImageSet): number {
  let ok = 0;
  for (let i = 0; i < set.count; i++) {
    scores(set, i);
    let best = 0;
    for (let k = 1; k < 10; k++) if ((logits[k] as number) > (logits[best] as number)) best = k;
    if (best === set.labels[i]) ok++;
  }
  return ok / set.count;
}

for (let epoch = 0; epoch < 8; epoch++) {
  const lr = 0.05 / (1 + epoch);
  for (let i = 0; i < train.count; i++) {
    scores(train, i);
    const max = Math.max(...logits);
    let z = 0;
    for (let k = 0; k < 10; k++) z += Math.exp((logits[k] as number) - max);
    for (let k = 0; k < 10; k++) {
      const g = Math.exp((logits[k] as number) - max) / z - (train.labels[i] === k ? 1 : 0);
      for (let p = 0; p < 784; p++) w[k * D + p] = (w[k * D + p] as number) - lr * g * (train.images[i * 784 + p] as number);
      w[k * D + 784] = (w[k * D + 784] as number) - lr * g;
    }
  }
  console.log(`epoch ${epoch}: held-out synthetic accuracy ${(100 * accuracy(held)).toFixed(1)}%`);
}
const real = await loadMnist({ variant: 'mnist', split: 'test', root: process.argv[2] ?? '../../../shared/data/mnist' });
console.log(`real MNIST test accuracy of the synthetic-trained softmax regression: ${(100 * accuracy(real)).toFixed(1)}%`);
