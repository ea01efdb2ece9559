// Writes a PNG grid of synthetic digits (rows sorted by label) so a human can check they look like MNIST.
// Usage: pnpm --filter @logitlab/datasets digits:png [out.png] [seed]
import fs from 'node:fs';
import { syntheticDigits } from '../src/index';
import { pngGrid } from './png-grid';

const out = process.argv[2] ?? 'synthetic-digits.png';
const seed = Number(process.argv[3] ?? 1);
const perDigit = 16;
const set = syntheticDigits({ count: 400, seed });
const sorted = new Float32Array(10 * perDigit * 784);
for (let d = 0; d < 10; d++) {
  let k = 0;
  for (let i = 0; i < set.count && k < perDigit; i++) {
    if (set.labels[i] !== d) continue;
    sorted.set(set.images.subarray(i * 784, (i + 1) * 784), (d * perDigit + k) * 784);
    k++;
  }
}
fs.writeFileSync(out, pngGrid(sorted, 10 * perDigit, 28, 28, perDigit));
console.log(`wrote ${out}`);
