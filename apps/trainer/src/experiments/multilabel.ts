import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, pairedDigits } from '@logitlab/datasets';
import { manualSeed } from '@logitlab/layers';
import { binaryCrossEntropyWithLogits, crossEntropy } from '@logitlab/losses';
import { multiLabelReport } from '@logitlab/metrics';
import { MultiLabelHead } from '@logitlab/models';
import { loadDigits } from '../data';
import { type Row, barChartSpec, renderChartPng } from '../plot/chart';
import { Report, fmt } from '../report';
import { type StepLoss, trainModel } from '../training';
import { predict } from '../predict';
import { writeLossCurves } from '../figure-helpers';
import { type Summary, valueAt } from '../context';
import type { Experiment } from './types';

const PX = 28 * 56;
const LABELS = 10;

/** Multi-hot rows normalised to sum 1: the "probability" target a softmax head is forced to learn. */
function normaliseRows(multiHot: Float32Array): Float32Array {
  const out = new Float32Array(multiHot.length);
  for (let i = 0; i < multiHot.length; i += LABELS) {
    let s = 0;
    for (let j = 0; j < LABELS; j++) s += multiHot[i + j]!;
    for (let j = 0; j < LABELS; j++) out[i + j] = s > 0 ? multiHot[i + j]! / s : 0;
  }
  return out;
}

function subsetAccuracyWhere(prob: Float32Array, target: Float32Array, keep: (row: number) => boolean): number {
  let n = 0;
  let ok = 0;
  for (let r = 0; r < target.length / LABELS; r++) {
    if (!keep(r)) continue;
    n++;
    let same = true;
    for (let j = 0; j < LABELS; j++) if (prob[r * LABELS + j]! >= 0.5 !== target[r * LABELS + j]! > 0.5) same = false;
    if (same) ok++;
  }
  return n ? ok / n : NaN;
}

/** Experiment 3b: "which digits are present" needs independent sigmoids (BCE on logits), not a softmax. */
export const multilabel: Experiment = {
  title: 'Multi-label: BCE-with-logits vs a softmax head on "which digits are present"',
  seed: 3,
  headline: (s) =>
    `subset accuracy: BCE ${fmt(valueAt(s, 'subsetAccuracy.bceWithLogits'), 3)} vs softmax ${fmt(valueAt(s, 'subsetAccuracy.softmax'), 3)}`,
  async run(ctx): Promise<Summary> {
    const quick = ctx.opts.quick;
    const epochs = ctx.opts.epochs ?? (quick ? 6 : 15);
    const batchSize = ctx.opts.batchSize ?? 64;
    const lr = ctx.opts.lr ?? 0.001;
    const digits = await loadDigits(ctx, { trainCount: quick ? 4000 : 60000, testCount: quick ? 1000 : 10000 });
    const train = pairedDigits(digits.train, { count: quick ? 6000 : 30000, seed: ctx.seed * 10 + 3 });
    const test = pairedDigits(digits.test, { count: quick ? 1000 : 5000, seed: ctx.seed * 10 + 4 });

    const heads = [
      {
        key: 'bceWithLogits',
        label: 'sigmoid per label (BCE with logits)',
        y: train.multiHot,
        loss: (logits: tf.Tensor, y: tf.Tensor) => binaryCrossEntropyWithLogits(logits, y) as tf.Scalar,
        prob: (logits: tf.Tensor) => tf.sigmoid(logits),
      },
      {
        key: 'softmax',
        label: 'softmax over labels (cross-entropy on normalised targets)',
        y: normaliseRows(train.multiHot),
        loss: (logits: tf.Tensor, y: tf.Tensor) => crossEntropy(logits, y) as tf.Scalar,
        prob: (logits: tf.Tensor) => tf.softmax(logits),
      },
    ] as const;

    const results: Record<
      string,
      {
        subsetAccuracy: number;
        hammingLoss: number;
        macroF1: number;
        finalLoss: number;
        subsetAccuracyTwoDigits: number;
        subsetAccuracyOneDigit: number;
      }
    > = {};
    const steps: StepLoss[] = [];
    const distinct = (r: number) => {
      let k = 0;
      for (let j = 0; j < LABELS; j++) if (test.multiHot[r * LABELS + j]! > 0.5) k++;
      return k;
    };
    for (const h of heads) {
      manualSeed(ctx.seed); // same initial weights for both heads
      const model = new MultiLabelHead({ input: PX, hidden: [256], classes: LABELS });
      const optimizer = tf.train.adam(lr);
      try {
        const loader = new DataLoader(
          { x: train.images, xShape: [PX], y: h.y, yShape: [LABELS] },
          { batchSize, shuffle: true, seed: ctx.seed },
        );
        const r = await trainModel(ctx, {
          tag: h.key,
          arch: `MultiLabelHead(${PX}-256-${LABELS})`,
          model,
          optimizer,
          data: loader,
          epochs,
          loss: h.loss,
        });
        steps.push(...r.steps);
        const prob = await predict(model, test.images, [PX], { map: h.prob });
        const rep = multiLabelReport(prob, test.multiHot, { numLabels: LABELS, threshold: 0.5 });
        results[h.key] = {
          subsetAccuracy: rep.subsetAccuracy,
          hammingLoss: rep.hammingLoss,
          macroF1: rep.macroF1,
          finalLoss: r.finalLoss,
          subsetAccuracyTwoDigits: subsetAccuracyWhere(prob, test.multiHot, (row) => distinct(row) === 2),
          subsetAccuracyOneDigit: subsetAccuracyWhere(prob, test.multiHot, (row) => distinct(row) === 1),
        };
        ctx.log(`${h.key}: subset accuracy ${fmt(rep.subsetAccuracy, 4)}, hamming loss ${fmt(rep.hammingLoss, 4)}`);
      } finally {
        model.dispose();
        optimizer.dispose();
      }
    }
    let two = 0;
    for (let r = 0; r < test.count; r++) if (distinct(r) === 2) two++;

    // BCE-with-logits and softmax cross-entropy are different quantities: one panel (and y axis) each
    await writeLossCurves(ctx, 'loss-curves.png', steps, { title: 'Training loss', seriesName: 'head', panels: true });
    const bars: Row[] = heads.flatMap((h) => [
      { head: h.key, subset: 'all images', accuracy: results[h.key]!.subsetAccuracy },
      { head: h.key, subset: 'two different digits', accuracy: results[h.key]!.subsetAccuracyTwoDigits },
    ]);
    ctx.run.writeFile(
      'subset-accuracy.png',
      await renderChartPng(
        barChartSpec({
          title: 'Subset accuracy (every label right)',
          rows: bars,
          category: 'head',
          value: 'accuracy',
          group: 'subset',
          valueTitle: 'subset accuracy',
        }),
      ),
    );

    const b = results.bceWithLogits!;
    const s = results.softmax!;
    const report = new Report('Experiment 3b: multi-label logits vs a softmax head')
      .paragraph(
        `The same MLP (${PX}-256-10, same initial weights) learns which digits appear in a two-digit image, once with 10 independent sigmoids (binaryCrossEntropyWithLogits on multi-hot targets) ` +
          `and once with a softmax over the 10 labels (crossEntropy against the multi-hot row normalised to sum 1). A label is predicted when its probability is >= 0.5. ` +
          `${train.count} training pairs from ${digits.source}, ${epochs} epoch(s), Adam lr ${lr}; ${two} of ${test.count} test images hold two different digits. Backend ${ctx.backend}.`,
      )
      .table(
        ['head', 'subset accuracy', 'two different digits', 'one digit (twice)', 'hamming loss', 'macro F1', 'final train loss'],
        heads.map((h) => {
          const r = results[h.key]!;
          return [h.label, r.subsetAccuracy, r.subsetAccuracyTwoDigits, r.subsetAccuracyOneDigit, r.hammingLoss, r.macroF1, r.finalLoss];
        }),
      )
      .image('subset-accuracy.png', 'subset accuracy')
      .image('loss-curves.png', 'training loss')
      .heading('What the numbers say')
      .paragraph(
        `Softmax probabilities sum to 1, so at most one label can reach 0.5: on images with two different digits the softmax head gets ${fmt(s.subsetAccuracyTwoDigits, 3)} of label sets right, ` +
          `against ${fmt(b.subsetAccuracyTwoDigits, 3)} for independent sigmoids. The best a softmax can do for "a 3 and a 7" is 0.5 / 0.5, which is exactly the target it was trained on and still cannot say "both". ` +
          `Per-label logits with BCE treat each label as its own yes/no question, which is what "which digits are present" is (subset accuracy ${fmt(b.subsetAccuracy, 3)} vs ${fmt(s.subsetAccuracy, 3)}).`,
      );
    ctx.run.writeReport(report.toString());
    return {
      experiment: 'multilabel',
      seed: ctx.seed,
      backend: ctx.backend,
      data: digits.source,
      epochs,
      batchSize,
      lr,
      trainPairs: train.count,
      testPairs: test.count,
      testImagesWithTwoDigits: two,
      subsetAccuracy: { bceWithLogits: b.subsetAccuracy, softmax: s.subsetAccuracy },
      results,
    };
  },
};
