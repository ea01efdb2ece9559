import * as tf from '@tensorflow/tfjs-core';
import { type MethodSpec, explain, randomisationCheck, type RandomisationStep } from '@logitlab/explain';
import { manualSeed } from '@logitlab/layers';
import { nllLoss } from '@logitlab/losses';
import { relevanceMassAccuracy } from '@logitlab/metrics';
import { type ConvNetHead, MnistConvNet } from '@logitlab/models';
import { MNIST_MEAN, MNIST_STD } from '@logitlab/datasets';
import { digitLoader, loadDigits, normalised } from '../data';
import { renderChartPng } from '../plot/chart';
import { type HeatmapPanel, heatmapFigureSpec } from '../plot/heatmap';
import { Report, fmt } from '../report';
import { trainModel } from '../training';
import { accuracyOf, argmaxLast, predict } from '../predict';
import type { Summary } from '../context';
import type { Experiment } from './types';
import { METHOD_NAMES } from './deep-taylor-report';
import { type MethodTable, bestPerMetric, methodTable, tableCells } from './method-table';

const RANGE: [number, number] = [(0 - MNIST_MEAN) / MNIST_STD, (1 - MNIST_MEAN) / MNIST_STD];
// the right pairing (log-probabilities into NLL) and the classic mistake (probabilities into NLL)
const HEADS: { head: ConvNetHead; label: string; short: string }[] = [
  { head: 'logSoftmax', label: 'logSoftmax + nllLoss (right)', short: 'logSoftmax (right)' },
  { head: 'softmax', label: 'softmax + nllLoss (wrong)', short: 'softmax (wrong)' },
];

// every method x every metric family on the ten digits, each explained for its own class
const TABLE_METHODS: MethodSpec[] = [
  { method: 'lrp', composite: 'epsilonGammaBox', options: { bounds: RANGE } },
  { method: 'lrp', composite: 'epsilonPlus' },
  { method: 'lrp', composite: 'epsilonAlpha2Beta1' },
  { method: 'lrp', composite: 'deepTaylor', options: { bounds: RANGE } },
  { method: 'sensitivity' },
  { method: 'integratedGradients', options: { baseline: RANGE[0], steps: 32 } },
];

// --quick leaves out the families that re-explain every image several times (robustness, random logit,
// input invariance): with all of them the table cost about as much as training the two heads
const QUICK_METRICS = ['faithfulness', 'localisation', 'complexity', 'completeness'];

interface HeadExplanation {
  head: ConvNetHead;
  testAccuracy: number;
  /** Share of positive relevance on the digit's stroke (mean over the 10 images). */
  strokeMass: number;
  /** Largest |sum R - logit| / |logit| over the images. */
  maxRelError: number;
  randomisation: RandomisationStep[];
  table: MethodTable;
}

/** The seed convnet explained: LRP heatmaps of each class's logit for a right and a wrong head, with the randomisation sanity check. */
export const explainConvnet: Experiment = {
  title: 'Explaining the seed convnet: LRP per class for a right and a wrong output head',
  seed: 7,
  headline(s) {
    const heads = (s.heads as { head: string; testAccuracy: number; strokeMass: number }[] | undefined) ?? [];
    return heads.map((h) => `${h.head}: accuracy ${fmt(h.testAccuracy, 3)}, stroke mass ${fmt(h.strokeMass, 3)}`).join('; ');
  },
  async run(ctx): Promise<Summary> {
    const quick = ctx.opts.quick;
    const epochs = ctx.opts.epochs ?? (quick ? 1 : 3);
    const batchSize = ctx.opts.batchSize ?? 64;
    const lr = ctx.opts.lr ?? 0.01;
    const data = await loadDigits(ctx, { trainCount: quick ? 6000 : 60000, testCount: quick ? 1000 : 10000 });
    const testX = normalised(data.test.images);
    // the first test image of every class 0-9
    const picks = Array.from({ length: 10 }, (_, c) => data.test.labels.indexOf(c)).filter((i) => i >= 0);
    const x = new Float32Array(picks.length * 784);
    const strokes = new Float32Array(picks.length * 784);
    picks.forEach((i, k) => {
      x.set(testX.subarray(i * 784, (i + 1) * 784), k * 784);
      for (let j = 0; j < 784; j++) strokes[k * 784 + j] = data.test.images[i * 784 + j]! > 0.5 ? 1 : 0;
    });
    const classes = picks.map((i) => data.test.labels[i]!);

    const panels: HeatmapPanel[] = [];
    const results: HeadExplanation[] = [];
    for (const { head, label, short } of HEADS) {
      manualSeed(ctx.seed); // the same initial weights for both heads
      const model = new MnistConvNet({ head });
      const optimizer = tf.train.momentum(lr, 0.5);
      try {
        const loader = digitLoader(data.train, { batchSize, seed: ctx.seed });
        await trainModel(ctx, {
          tag: head,
          arch: `MnistConvNet(head=${head})`,
          model,
          optimizer,
          data: loader,
          epochs,
          loss: (o, y) => nllLoss(o, y, { validate: false }) as tf.Scalar,
        });
        const testAccuracy = accuracyOf(await predict(model, testX, [28, 28, 1], { map: argmaxLast }), data.test.labels);
        const xt = tf.tensor4d(x, [picks.length, 28, 28, 1]);
        const options = { composite: 'epsilonGammaBox' as const, bounds: RANGE, target: classes };
        try {
          const e = explain(model, xt, options);
          const r = e.relevance.dataSync() as Float32Array;
          e.relevance.dispose();
          const randomisation = randomisationCheck(model, xt, options, { seed: ctx.seed });
          const strokeMass = relevanceMassAccuracy(r, strokes, picks.length).mean;
          const maxRelError = Math.max(...Array.from(e.conservation.relError));
          const table = await methodTable(model, x, [28, 28, 1], {
            methods: quick
              ? TABLE_METHODS.filter((m) => m.composite !== 'epsilonAlpha2Beta1' && m.composite !== 'deepTaylor')
              : TABLE_METHODS,
            metrics: quick ? QUICK_METRICS : 'all',
            masks: strokes,
            labels: Int32Array.from(classes),
            seed: ctx.seed,
          });
          results.push({ head, testAccuracy, strokeMass, maxRelError, randomisation, table });
          ctx.log(
            `${label}: test accuracy ${fmt(testAccuracy, 4)}, relevance mass on the strokes ${fmt(strokeMass, 3)}, randomisation ${randomisation.map((s) => `${s.layer} ${fmt(s.spearman, 3)}`).join(', ')}`,
          );
          classes.forEach((c, k) => {
            panels.push({
              row: `digit ${c}`,
              column: short,
              image: x.subarray(k * 784, (k + 1) * 784),
              relevance: r.subarray(k * 784, (k + 1) * 784),
            });
          });
        } finally {
          xt.dispose();
        }
      } finally {
        model.dispose();
        optimizer.dispose();
      }
    }
    ctx.run.writeFile(
      'lrp-per-class.png',
      await renderChartPng(
        heatmapFigureSpec({
          title: "LRP (epsilon-gamma-box) of each digit's own logit",
          height: 28,
          width: 28,
          panels,
          range: RANGE,
          pixel: 3,
        }),
      ),
    );

    const [right, wrong] = results as [HeadExplanation, HeadExplanation];
    const firstStep = (h: HeadExplanation) => h.randomisation[0]!;
    const lastStep = (h: HeadExplanation) => h.randomisation.at(-1)!;
    const report = new Report('Explaining the seed convnet: LRP for a right and a wrong head')
      .paragraph(
        `Two MnistConvNets from the same initial weights, trained ${epochs} epoch(s) with nllLoss (SGD lr ${lr}, momentum 0.5, batch ${batchSize}, ${data.train.count} images from ${data.source}; backend ${ctx.backend}): ` +
          'one outputs log-probabilities (right), the other probabilities (the classic mistake). For the first test image of each digit, LRP (epsilon-gamma-box: zB on conv1 with the ' +
          `pixel range [${fmt(RANGE[0], 3)}, ${fmt(RANGE[1], 3)}], gamma 0.25 on conv2, epsilon on the dense layers) explains that digit's own pre-head logit.`,
      )
      .table(
        ['measure', ...HEADS.map((h) => h.label)],
        [
          ['test accuracy', right.testAccuracy, wrong.testAccuracy],
          ['relevance mass on the digit strokes', right.strokeMass, wrong.strokeMass],
          ['max |sum R - logit| / |logit|', right.maxRelError, wrong.maxRelError],
          ...right.randomisation.map((s, i) => [
            `Spearman with trained heatmaps, layers randomised down to ${s.layer}`,
            s.spearman,
            wrong.randomisation[i]?.spearman ?? NaN,
          ]),
        ],
      )
      .image(
        'lrp-per-class.png',
        'LRP per class',
        'Each row: a test digit (grey) with the LRP relevance of its own logit on top, red positive, blue negative, scaled per panel (colour bar: R / max |R|).',
      )
      .heading('Every method, every metric family')
      .paragraph(
        `explainDataset over the ten digits, each explained for its own class, scored by ${quick ? 'the faithfulness, localisation and complexity families and completeness (--quick leaves out the metrics that re-explain each image several times)' : 'every metric family'} of @logitlab/metrics (Quantus's definitions; localisation against the digit's strokes).`,
      )
      .heading(HEADS[0]!.label, 3)
      .table(...tableCells(right.table, METHOD_NAMES))
      .paragraph(`Best per metric: ${bestPerMetric(right.table, METHOD_NAMES)}.`)
      .heading(HEADS[1]!.label, 3)
      .table(...tableCells(wrong.table, METHOD_NAMES))
      .paragraph(`Best per metric: ${bestPerMetric(wrong.table, METHOD_NAMES)}.`)
      .heading('What the numbers say')
      .bullets([
        `The right head reaches ${fmt(right.testAccuracy * 100, 3)}% test accuracy, the wrong one ${fmt(wrong.testAccuracy * 100, 3)}%; ${right.strokeMass > wrong.strokeMass ? 'the right head puts more' : right.strokeMass < wrong.strokeMass ? 'the wrong head puts more' : 'both put the same share'} of its positive relevance on the digit strokes (${fmt(right.strokeMass, 3)} vs ${fmt(wrong.strokeMass, 3)}).`,
        `Randomisation check (Adebayo et al. 2018): re-drawing the top layer (${firstStep(right).layer}) leaves a rank correlation of ${fmt(firstStep(right).spearman, 3)} with the trained model's heatmaps for the right head; with every layer random (down to ${lastStep(right).layer}) it is ${fmt(lastStep(right).spearman, 3)}. ${firstStep(right).spearman < 0.5 ? 'Re-drawing the top layer alone already decorrelates the heatmaps (below 0.5): they depend on the learned weights, as an explanation should.' : lastStep(right).spearman < 0.5 ? 'The heatmaps decorrelate (below 0.5) only once lower layers are random too.' : 'The heatmaps stay correlated (0.5 or more) even with every layer random: they depend more on the input than on the model.'}`,
      ]);
    ctx.run.writeReport(report.toString());
    return {
      experiment: 'explain-convnet',
      seed: ctx.seed,
      backend: ctx.backend,
      data: data.source,
      epochs,
      classes,
      heads: results.map(({ table, ...h }) => ({ ...h, methodTable: Object.fromEntries(table.rows.map((r) => [r.method, r.means])) })),
    };
  },
};
