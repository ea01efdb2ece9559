import { pairedDigits } from '@logitlab/datasets';
import { type Composite, type MethodSpec, wSquareRule, zBoxRule, zPlusRule } from '@logitlab/explain';
import { manualSeed } from '@logitlab/layers';
import { pixelFlipping, relevanceRankAccuracy } from '@logitlab/metrics';
import { fitOptionsOf, recipe } from '@logitlab/recipes';
import { loadDigits } from '../data';
import { type Row, lineChartSpec, renderChartPng } from '../plot/chart';
import { heatmapFigureSpec } from '../plot/heatmap';
import { Report, fmt } from '../report';
import { trainModel } from '../training';
import { predict } from '../predict';
import { pickRows, writeLossCurves } from '../figure-helpers';
import { type Summary, valueAt } from '../context';
import type { Experiment } from './types';
import { FIRST_RULES, FIRST_RULE_NAMES, type FirstRule, METHOD_NAMES, firstRuleFinding, ranking } from './deep-taylor-report';
import { bestPerMetric, methodTable, tableCells } from './method-table';
import { type ScoredMaps, explainAll, scoreMaps, targetStrokes } from './sumpool-scores';

const RANGE: [number, number] = [-0.5, 1.5];
const H = 28;
const W = 56;
const PX = H * W;

/**
 * Mean share of each image's relevance that lies on the half (left or right 28x28) holding the 0-3
 * digit: how well a heatmap "points at" the digit that makes the image positive.
 */
function targetShare(relevance: Float32Array, targetOnLeft: boolean[]): number {
  let sum = 0;
  targetOnLeft.forEach((left, i) => {
    let onLeft = 0;
    let all = 0;
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < W; c++) {
        const v = Math.max(0, relevance[i * PX + r * W + c]!);
        all += v;
        if (c < W / 2) onLeft += v;
      }
    }
    sum += all > 0 ? (left ? onLeft : all - onLeft) / all : 0.5;
  });
  return sum / Math.max(1, targetOnLeft.length);
}

// The methods x metrics table: Deep Taylor, the references and the LRP composites, scored by the
// metric families that need no class but the one output (random logit) and no re-explanations
// (robustness), which would cost a multiple of the experiment's runtime.
const TABLE_METRICS = [
  'pixelFlipping',
  'regionPerturbation',
  'faithfulnessCorrelation',
  'monotonicity',
  'pointingGame',
  'attributionLocalisation',
  'relevanceRankAccuracy',
  'sparseness',
  'entropy',
  'completeness',
];
const TABLE_METHODS: MethodSpec[] = [
  { method: 'lrp', composite: 'deepTaylor', options: { bounds: RANGE } },
  { method: 'sensitivity' },
  // from the black image (the coding's low end), 32 midpoint steps
  { method: 'integratedGradients', options: { baseline: RANGE[0], steps: 32 } },
  { method: 'lrp', composite: 'epsilon' },
  { method: 'lrp', composite: 'epsilonPlus' },
  { method: 'lrp', composite: 'epsilonGammaBox', options: { bounds: RANGE } },
  { method: 'lrp', composite: 'epsilonAlpha2Beta1' },
];
/** Deep Taylor with each first-layer rule of the paper; z+ above (fc2), proportional through the sum-pools. */
const firstLayer = (first: FirstRule): Composite => ({
  name: `deepTaylor-${first}`,
  first: first === 'zB' ? zBoxRule(RANGE[0], RANGE[1]) : first === 'wSquare' ? wSquareRule() : zPlusRule(),
  dense: zPlusRule(),
});

/** Experiment 2: Montavon et al. 2017's sum-pool network, explained with Deep Taylor and scored by pixel flipping. */
export const deepTaylor: Experiment = {
  title: 'Deep Taylor decomposition of a sum-pool network on two-digit images (Montavon et al. 2017)',
  seed: 2,
  headline: (s) =>
    `accuracy ${fmt(valueAt(s, 'testAccuracy'), 3)}, AOPC deepTaylor ${fmt(valueAt(s, 'aopc.deepTaylor'), 3)} / sensitivity ${fmt(valueAt(s, 'aopc.sensitivity'), 3)} / random ${fmt(valueAt(s, 'aopc.random'), 3)}, conservation err ${fmt(valueAt(s, 'conservation.maxRelError'))}`,
  async run(ctx): Promise<Summary> {
    const quick = ctx.opts.quick;
    const rec = recipe('explainer');
    const variant = rec.variants[quick ? 'quick' : 'full'];
    const epochs = ctx.opts.epochs ?? variant.epochs;
    const batchSize = ctx.opts.batchSize ?? variant.batchSize;
    const lr = ctx.opts.lr ?? rec.optimizer.lr;
    const pairs = variant.pairs ?? { train: 0, test: 0 };
    const digits = await loadDigits(ctx, { trainCount: variant.trainCount, testCount: variant.testCount });
    const train = pairedDigits(digits.train, { count: pairs.train, seed: ctx.seed * 10 + 1 });
    const test = pairedDigits(digits.test, { count: pairs.test, seed: ctx.seed * 10 + 2 });

    manualSeed(ctx.seed);
    const model = rec.create();
    const optimizer = rec.makeOptimizer(lr);
    try {
      const loader = rec.loader({ images: train.images, count: train.count, targets: train.targets }, { batchSize, seed: ctx.seed });
      const { loss, afterStep } = fitOptionsOf(rec);
      const trained = await trainModel(ctx, { tag: 'sumpool', model, optimizer, data: loader, epochs, loss, afterStep });
      await writeLossCurves(ctx, 'loss-curve.png', trained.steps, { title: 'Sum-pool explainer: training MSE', logY: true });

      const f = await predict(model, test.images, [PX]);
      let correct = 0;
      for (let i = 0; i < test.count; i++) if (f[i]! > 50 === test.targets[i]! > 50) correct++;
      const testAccuracy = correct / test.count;
      ctx.log(`test accuracy (threshold 50): ${fmt(testAccuracy, 4)}`);

      // the 200 (or as many as there are) positive test images, as in the paper's evaluation
      const positives: number[] = [];
      for (let i = 0; i < test.count && positives.length < 200; i++) if (test.targets[i]! > 50) positives.push(i);
      const x = pickRows(test.images, PX, positives);
      const strokes = targetStrokes(test, positives);
      // --quick scores the table on the first 50 images: it costs about six pixel-flipping runs per method
      const tableCount = Math.min(quick ? 50 : positives.length, positives.length);
      const table = await methodTable(model, x.subarray(0, tableCount * PX), [PX], {
        methods: TABLE_METHODS,
        metrics: TABLE_METRICS,
        masks: strokes.subarray(0, tableCount * PX),
        seed: ctx.seed,
      });
      // Deep Taylor once more on its own for the conservation errors and outputs the table does not keep
      const dt = explainAll(model, x, { method: 'lrp', composite: 'deepTaylor', bounds: RANGE });
      const sens = explainAll(model, x, { method: 'sensitivity' });
      // from the black image (the coding's low end), 32 midpoint steps
      const ig = explainAll(model, x, { method: 'integratedGradients', baseline: RANGE[0], steps: 32 });
      const score = async (batch: Float32Array, n: number) => predict(model, batch, [PX], { batchSize: Math.max(n, 1) });
      const scored = { count: positives.length, range: RANGE, seed: ctx.seed };
      // the first-layer rules of the paper (zB for bounded pixels, w² for unbounded inputs, z+ for non-negative ones)
      const firstRules = {} as Record<FirstRule, ScoredMaps>;
      const firstMaps = {} as Record<FirstRule, Float32Array>;
      for (const rule of FIRST_RULES) {
        firstMaps[rule] = rule === 'zB' ? dt.relevance : explainAll(model, x, { method: 'lrp', composite: firstLayer(rule) }).relevance;
        firstRules[rule] = await scoreMaps(score, x, firstMaps[rule], strokes, scored);
      }
      const sensScores = await scoreMaps(score, x, sens.relevance, strokes, scored);
      const igScores = await scoreMaps(score, x, ig.relevance, strokes, scored);
      const rankOf = (r: Float32Array) => relevanceRankAccuracy(r, strokes, positives.length).mean;
      const strokeShare = strokes.reduce((a, b) => a + b, 0) / strokes.length;
      const mass = { deepTaylor: firstRules.zB.strokeMass, sensitivity: sensScores.strokeMass, integratedGradients: igScores.strokeMass };
      const rankAccuracy = {
        deepTaylor: rankOf(dt.relevance),
        sensitivity: rankOf(sens.relevance),
        integratedGradients: rankOf(ig.relevance),
      };
      const positiveOutputs = dt.output.filter((v) => v > 0);
      const conservedOn = Array.from(dt.relError).filter((_, i) => dt.output[i]! > 0);
      const maxRelError = conservedOn.length ? Math.max(...conservedOn) : NaN;
      let minRelevance = Infinity;
      for (const v of dt.relevance) minRelevance = Math.min(minRelevance, v);

      const flip = {
        count: positives.length,
        steps: 100,
        pixelsPerStep: 4,
        perturbation: 'uniform' as const,
        range: RANGE,
        seed: ctx.seed,
      };
      const [pfDt, pfSens, pfIg] = [firstRules.zB, sensScores, igScores];
      const pfRandom = await pixelFlipping(score, x, { ...flip, order: 'random' });
      const aopc = {
        deepTaylor: pfDt.aopc,
        sensitivity: pfSens.aopc,
        integratedGradients: pfIg.aopc,
        random: pfRandom.aopcNormalized,
      };
      // a positive pair holds one 0-3 digit (target-and-distractor): which side it is on
      const targetOnLeft = positives.map((i) => test.digits[2 * i]! <= 3);
      const onTarget = { deepTaylor: targetShare(dt.relevance, targetOnLeft), sensitivity: targetShare(sens.relevance, targetOnLeft) };
      ctx.log(`relevance on the 0-3 digit's half: deepTaylor ${fmt(onTarget.deepTaylor, 3)}, sensitivity ${fmt(onTarget.sensitivity, 3)}`);
      ctx.log(
        `relevance mass on the 0-3 digit's stroke: deepTaylor ${fmt(mass.deepTaylor, 3)}, sensitivity ${fmt(mass.sensitivity, 3)}, integrated gradients ${fmt(mass.integratedGradients, 3)}`,
      );
      ctx.log(
        `AOPC (normalised): deepTaylor ${fmt(aopc.deepTaylor, 3)}, sensitivity ${fmt(aopc.sensitivity, 3)}, integrated gradients ${fmt(aopc.integratedGradients, 3)}, random ${fmt(aopc.random, 3)}; conservation max rel. error ${fmt(maxRelError)}`,
      );

      // figure: each method's heatmap over the input, one row per image, with column titles and a colour bar
      const shown = Math.min(8, positives.length);
      const panels = [];
      for (let i = 0; i < shown; i++) {
        const image = x.subarray(i * PX, (i + 1) * PX);
        const row = `#${i}: digits ${test.digits[2 * positives[i]!]} ${test.digits[2 * positives[i]! + 1]}, f(x) ${fmt(dt.output[i]!, 3)}`;
        for (const [column, r] of [
          ['Deep Taylor (zB first)', dt.relevance],
          ['Deep Taylor (z+ first)', firstMaps.zPlus],
          ['sensitivity', sens.relevance],
          ['integrated gradients', ig.relevance],
        ] as const) {
          panels.push({ row, column, image, relevance: r.subarray(i * PX, (i + 1) * PX) });
        }
      }
      ctx.run.writeFile(
        'heatmaps.png',
        await renderChartPng(
          heatmapFigureSpec({ title: 'Sum-pool network: relevance over the input', height: H, width: W, panels, range: RANGE, pixel: 3 }),
        ),
      );
      const curveRows: Row[] = [];
      for (const [method, pf] of [
        ['Deep Taylor', pfDt],
        ['sensitivity', pfSens],
        ['integrated gradients', pfIg],
        ['random', pfRandom],
      ] as const) {
        Array.from(pf.curve).forEach((v, k) => curveRows.push({ perturbed: k * 4, f: v, method }));
      }
      ctx.run.writeFile(
        'pixel-flipping.png',
        await renderChartPng(
          lineChartSpec({
            title: 'Pixel flipping: mean f(x) as the most relevant pixels are perturbed',
            rows: curveRows,
            x: 'perturbed',
            y: 'f',
            series: 'method',
            xTitle: 'pixels perturbed (uniform noise)',
            yTitle: 'mean f(x)',
          }),
        ),
      );

      const report = new Report('Experiment 2: Deep Taylor decomposition (Montavon et al. 2017)')
        .paragraph(
          `The sum-pool network (1568 -> 400 ReLU -> sum-pool 4 -> 100 -> 400 ReLU -> sum -> f(x)) learns to output 100 when a digit 0-3 is in a two-digit image and 0 otherwise ` +
            `(MSE, Adam lr ${lr}, ${epochs} epoch(s), batch ${batchSize}, detection biases projected to <= 0 after each step; ${train.count} training pairs from ${digits.source}; backend ${ctx.backend}).`,
        )
        .table(
          ['measure', 'value'],
          [
            ['test accuracy (f > 50 vs target)', testAccuracy],
            ['final training MSE', trained.finalLoss],
            ['explained positive test images', positives.length],
            ['mean f(x) of those', positiveOutputs.length ? positiveOutputs.reduce((a, b) => a + b, 0) / positiveOutputs.length : NaN],
            ['conservation: max |sum R - f(x)| / f(x)', maxRelError],
            ['smallest Deep Taylor relevance', minRelevance],
            ['AOPC Deep Taylor (normalised)', aopc.deepTaylor],
            ['AOPC sensitivity (normalised)', aopc.sensitivity],
            ['AOPC integrated gradients (normalised)', aopc.integratedGradients],
            ['AOPC random order (normalised)', aopc.random],
            ["relevance mass on the 0-3 digit's stroke: Deep Taylor", mass.deepTaylor],
            ["relevance mass on the 0-3 digit's stroke: sensitivity", mass.sensitivity],
            ["relevance mass on the 0-3 digit's stroke: integrated gradients", mass.integratedGradients],
            ['relevance rank accuracy: Deep Taylor', rankAccuracy.deepTaylor],
            ['relevance rank accuracy: sensitivity', rankAccuracy.sensitivity],
            ['relevance rank accuracy: integrated gradients', rankAccuracy.integratedGradients],
            ["share of Deep Taylor relevance on the 0-3 digit's half", onTarget.deepTaylor],
            ["share of sensitivity on the 0-3 digit's half", onTarget.sensitivity],
          ],
        )
        .image(
          'heatmaps.png',
          'Deep Taylor (zB and z+ on the first layer) | sensitivity | integrated gradients over the input',
          "Each row: one positive test image, its strokes as a faint grey outline, with a method's relevance on white, scaled by its own max |R|: red positive, blue negative, transparent near zero (colour bar: R / max |R|).",
        )
        .heading('Every method, every metric family')
        .paragraph(
          `explainDataset over ${tableCount === positives.length ? 'the' : `the first ${tableCount} of the`} ${positives.length} positive images, scored by the metric families of @logitlab/metrics (Quantus's definitions; localisation against the 0-3 digit's strokes; ` +
            'robustness and random logit left out: they re-explain every image several times, and random logit needs a second class).',
        )
        .table(...tableCells(table, METHOD_NAMES))
        .paragraph(`Best per metric: ${bestPerMetric(table, METHOD_NAMES)}.`)
        .heading("Deep Taylor's first-layer rule")
        .table(
          ['first layer', 'AOPC (normalised)', 'relevance mass on the strokes', 'pointing game', 'sparseness'],
          FIRST_RULES.map((r) => [
            FIRST_RULE_NAMES[r],
            firstRules[r].aopc,
            firstRules[r].strokeMass,
            firstRules[r].pointing,
            firstRules[r].sparseness,
          ]),
        )
        .paragraph(firstRuleFinding(firstRules, RANGE))
        .image('pixel-flipping.png', 'pixel flipping curves')
        .image('loss-curve.png', 'training loss')
        .heading('What the numbers say')
        .bullets([
          `Deep Taylor **conserves** relevance: the heatmap of each image sums to f(x) within ${fmt(maxRelError)} (relative), because sum-pooling passes relevance on in proportion to activations and the z+ / zB rules redistribute exactly what they receive. Sensitivity does not: (df/dx)^2 is a different quantity (how f changes), not a share of f.`,
          `With non-positive biases and the z+ / zB rules, Deep Taylor relevance is ${minRelevance >= -1e-6 ? 'non-negative everywhere (smallest value ' + fmt(minRelevance) + '): it marks evidence for the target digit only' : 'negative in places (smallest value ' + fmt(minRelevance) + ')'}.`,
          `Pixel flipping (uniform noise in [-0.5, 1.5], 4 pixels per step, 100 steps, ${positives.length} positive images) is the objective check: perturbing the pixels ranked highest lowers f by ${fmt(aopc.deepTaylor, 3)} of mean f(x0) on average (AOPC) for Deep Taylor, ${fmt(aopc.sensitivity, 3)} for sensitivity, ${fmt(aopc.integratedGradients, 3)} for integrated gradients and ${fmt(aopc.random, 3)} for a random order: ${ranking(aopc)}.`,
          `Relevance mass accuracy (Arras et al. 2022: the share of positive relevance on the 0-3 digit's stroke pixels, which cover ${fmt(strokeShare * 100, 3)}% of an image): ${fmt(mass.deepTaylor, 3)} for Deep Taylor, ${fmt(mass.sensitivity, 3)} for sensitivity, ${fmt(mass.integratedGradients, 3)} for integrated gradients: ${ranking(mass)}.`,
          `On the half holding the 0-3 digit (50% would be no preference) lie ${fmt(onTarget.deepTaylor * 100, 3)}% of Deep Taylor's relevance and ${fmt(onTarget.sensitivity * 100, 3)}% of sensitivity's: ${onTarget.sensitivity > onTarget.deepTaylor ? 'sensitivity points at the target half more' : onTarget.sensitivity < onTarget.deepTaylor ? 'Deep Taylor points at the target half more' : 'the two are level'}${onTarget.sensitivity < 0.5 ? ', and sensitivity favours the distractor half' : ''}.`,
        ]);
      ctx.run.writeReport(report.toString());

      return {
        experiment: 'deep-taylor',
        seed: ctx.seed,
        backend: ctx.backend,
        data: digits.source,
        realData: digits.real,
        epochs,
        batchSize,
        lr,
        trainPairs: train.count,
        testPairs: test.count,
        testAccuracy,
        finalLoss: trained.finalLoss,
        explainedImages: positives.length,
        conservation: { maxRelError, meanRelError: conservedOn.reduce((a, b) => a + b, 0) / Math.max(1, conservedOn.length), minRelevance },
        aopc,
        relevanceOnTargetDigit: onTarget,
        relevanceMassOnStroke: mass,
        relevanceRankAccuracy: rankAccuracy,
        firstLayerRules: Object.fromEntries(
          FIRST_RULES.map((r) => [
            r,
            {
              aopc: firstRules[r].aopc,
              strokeMass: firstRules[r].strokeMass,
              pointing: firstRules[r].pointing,
              sparseness: firstRules[r].sparseness,
            },
          ]),
        ),
        methodTable: Object.fromEntries(table.rows.map((r) => [r.method, r.means])),
        aopcRaw: { deepTaylor: pfDt.aopcRaw, sensitivity: pfSens.aopcRaw, integratedGradients: pfIg.aopcRaw, random: pfRandom.aopc },
        meanF0: pfDt.meanF0,
      };
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  },
};
