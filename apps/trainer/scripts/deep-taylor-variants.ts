// Which of Montavon et al.'s choices puts Deep Taylor's relevance on the strokes (issue 22 item 5)?
// Trains the sum-pool network once per training variant (input coding, bias and weight constraints,
// epochs) on real two-digit MNIST pairs, explains the same positive test pairs (the first 100; the experiment takes 200) with three
// first-layer rules (zB, w^2, z+; z+ above) and two references, and scores every map with the
// experiment's metrics. Heavier than a test: one variant at the defaults took 13 to 27 minutes wall on the 2 shared cores at a load of 20 to 27.
// Usage (after `pnpm build`): pnpm --filter @logitlab/trainer variants:deep-taylor --data <abs dir> [...], or from apps/trainer:
//   pnpm exec tsx scripts/deep-taylor-variants.ts --data ../../../shared/data/mnist [--epochs 12] [--only a,b] [--out file.json]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist, pairedDigits } from '@logitlab/datasets';
import { type Composite, type ExplainOptions, wSquareRule, zBoxRule, zPlusRule } from '@logitlab/explain';
import { manualSeed } from '@logitlab/layers';
import { SumPoolExplainer } from '@logitlab/models';
import { fitOptionsOf, recipe } from '@logitlab/recipes';
import { fit } from '@logitlab/train';
import { setupBackend } from '../src/backend';
import { ANY_IDX } from '../src/data-dir';
import { sliceSet } from '../src/data';
import { predict } from '../src/predict';
import { explainAll, scoreMaps, targetStrokes } from '../src/experiments/sumpool-scores';

const PX = 28 * 56;
const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    epochs: { type: 'string', default: '12' },
    only: { type: 'string' },
    images: { type: 'string', default: '100' },
    out: { type: 'string' },
  },
});
if (!args.data) throw new Error('--data <dir of MNIST IDX files> is required (the variants are about real digits)');

interface TrainingVariant {
  name: string;
  /** Pixel coding [black, white]; zB's bounds are the same. */
  range: [number, number];
  nonPositiveBias: boolean;
  /** Clamp fc2's weights to >= 0 after every step (a constraint the z+ rule's root point favours). */
  positiveFc2: boolean;
  epochScale: number;
}
const VARIANTS: TrainingVariant[] = [
  { name: 'coding [-0.5, 1.5] (default)', range: [-0.5, 1.5], nonPositiveBias: true, positiveFc2: false, epochScale: 1 },
  { name: 'coding [0, 1]', range: [0, 1], nonPositiveBias: true, positiveFc2: false, epochScale: 1 },
  { name: 'coding [-1, 1]', range: [-1, 1], nonPositiveBias: true, positiveFc2: false, epochScale: 1 },
  { name: 'coding [-0.5, 1.5], biases free', range: [-0.5, 1.5], nonPositiveBias: false, positiveFc2: false, epochScale: 1 },
  { name: 'coding [-0.5, 1.5], fc2 weights >= 0', range: [-0.5, 1.5], nonPositiveBias: true, positiveFc2: true, epochScale: 1 },
  { name: 'coding [-0.5, 1.5], 3x epochs', range: [-0.5, 1.5], nonPositiveBias: true, positiveFc2: false, epochScale: 3 },
];

const firstLayer = (first: Composite['first']): Composite => ({ name: 'deepTaylor', first, dense: zPlusRule() });
function methods(range: [number, number]): [string, ExplainOptions][] {
  return [
    ['Deep Taylor, zB first', { method: 'lrp', composite: firstLayer(zBoxRule(range[0], range[1])) }],
    ['Deep Taylor, w^2 first', { method: 'lrp', composite: firstLayer(wSquareRule()) }],
    ['Deep Taylor, z+ first', { method: 'lrp', composite: firstLayer(zPlusRule()) }],
    ['sensitivity', { method: 'sensitivity' }],
    ['integrated gradients', { method: 'integratedGradients', baseline: range[0], steps: 32 }],
  ];
}

const backend = await setupBackend('auto');
const mnist = await loadMnist({ variant: 'mnist', split: 'test', root: args.data, checksums: ANY_IDX });
// as the experiment's --quick run on a test-only folder: first 1000 images test, next 4000 train
const testDigits = sliceSet(mnist, 0, 1000);
const trainDigits = sliceSet(mnist, 1000, 4000);
const epochs = Number(args.epochs);
const only = args.only?.split(',').map((s) => Number(s));
const rows: Record<string, string | number>[] = [];
console.log(
  `backend ${backend.description}; ${trainDigits.count} train / ${testDigits.count} test digits, 6000 / 1000 pairs, ${epochs} epochs`,
);

for (const [v, variant] of VARIANTS.entries()) {
  if (only && !only.includes(v)) continue;
  const t0 = performance.now();
  const { range } = variant;
  const train = pairedDigits(trainDigits, { count: 6000, seed: 21, range });
  const test = pairedDigits(testDigits, { count: 1000, seed: 22, range });
  const rec = recipe('explainer');
  manualSeed(2);
  const model = new SumPoolExplainer({ nonPositiveBias: variant.nonPositiveBias });
  const optimizer = rec.makeOptimizer(rec.optimizer.lr);
  const { loss, afterStep } = fitOptionsOf(rec);
  await fit(model, {
    loss,
    optimizer,
    data: rec.loader({ images: train.images, count: train.count, targets: train.targets }, { batchSize: 64, seed: 2 }),
    epochs: Math.round(epochs * variant.epochScale),
    seed: 2,
    afterStep: (m) => {
      afterStep?.(m);
      if (variant.positiveFc2) tf.tidy(() => model.fc2.weight.assign(tf.maximum(model.fc2.weight, 0)));
    },
  });
  const f = await predict(model, test.images, [PX]);
  let correct = 0;
  for (let i = 0; i < test.count; i++) if (f[i]! > 50 === test.targets[i]! > 50) correct++;
  const positives: number[] = [];
  for (let i = 0; i < test.count && positives.length < Number(args.images); i++) if (test.targets[i]! > 50) positives.push(i);
  const x = new Float32Array(positives.length * PX);
  positives.forEach((i, k) => x.set(test.images.subarray(i * PX, (i + 1) * PX), k * PX));
  const strokes = targetStrokes(test, positives);
  const score = async (batch: Float32Array, n: number) => predict(model, batch, [PX], { batchSize: Math.max(n, 1) });
  for (const [method, options] of methods(range)) {
    const { relevance } = explainAll(model, x, options);
    const { aopc, strokeMass, pointing, sparseness } = await scoreMaps(score, x, relevance, strokes, {
      count: positives.length,
      range,
      seed: 2,
    });
    const row = { variant: variant.name, accuracy: correct / test.count, method, aopc, strokeMass, pointing, sparseness };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  console.log(`variant ${v} took ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  model.dispose();
  optimizer.dispose();
}
if (args.out) writeFileSync(args.out, JSON.stringify(rows, null, 1));
