import * as tf from '@tensorflow/tfjs-core';
import { manualSeed } from '@logitlab/layers';
import { gaussianKl, mseLoss, setPitfallWarningSink } from '@logitlab/losses';
import { digitLikeShare, knnAccuracy, tsne2d } from '@logitlab/metrics';
import type { LatentModel, LatentOutput } from '@logitlab/models';
import { fitOptionsOf, type Recipe, recipe, VAE_BETAS } from '@logitlab/recipes';
import { loadDigits } from '../data';
import { type Row, renderChartPng, scatterSpec } from '../plot/chart';
import { composeGrid, encodePng, greyImage, scaleImage } from '../plot/image';
import { Report, fmt } from '../report';
import { type StepLoss, trainModel } from '../training';
import { spread, writeLossCurves } from '../figure-helpers';
import type { Summary } from '../context';
import type { Experiment } from './types';
import { clusterSentence, samplesSentence } from './vae-sentences';

const LATENT = 30;
const BETAS = VAE_BETAS;

interface RunResult {
  model: 'autoencoder' | 'vae';
  beta: number | null;
  /** Held-out mean per-image sum of squared errors of decode(mu), pixels in [-1, 1]. */
  reconstructionLoss: number;
  /** Held-out mean per-image KL(q(z|x) || N(0, I)); null for the autoencoder (no posterior). */
  kl: number | null;
  finalTrainLoss: number;
  /** Share of its 10 prior samples closer to a held-out digit than to a flat grey image. */
  digitLikeShare: number;
  /** Leave-one-out 5-NN digit accuracy of the latent means (the t-SNE points). */
  knnAccuracy: number;
  /** KL on the training data after each epoch's first and last evaluation (training curve). */
  tag: string;
}

/** Held-out reconstruction error and KL in eval mode (z = mu), in batches. */
function evaluateLatent(model: LatentModel, x: Float32Array): { rec: number; kl: number | null; mu: Float32Array } {
  const n = x.length / 784;
  let rec = 0;
  let kl = 0;
  let hasKl = false;
  const mu = new Float32Array(n * LATENT);
  model.eval();
  for (let i = 0; i < n; i += 500) {
    const k = Math.min(500, n - i);
    tf.tidy(() => {
      const batch = tf.tensor2d(x.subarray(i * 784, (i + k) * 784), [k, 784]);
      const enc = model.encode(batch);
      const recon = model.decode(enc.mu);
      rec += mseLoss(recon, batch, { reduction: 'sum' }).dataSync()[0]!;
      if (enc.logVar) {
        hasKl = true;
        kl += gaussianKl(enc.mu, enc.logVar, { reduction: 'sum' }).dataSync()[0]!;
      }
      mu.set(enc.mu.dataSync() as Float32Array, i * LATENT);
    });
  }
  return { rec: rec / n, kl: hasKl ? kl / n : null, mu };
}

/** Experiment 6: autoencoder vs beta-VAE — what the KL term buys and what it costs. */
export const vaeBeta: Experiment = {
  title: 'Autoencoder vs VAE with beta in {0.5, 1, 5}',
  seed: 6,
  headline(s) {
    const runs = (s.runs as { model: string; beta: number | null; reconstructionLoss: number; kl: number }[] | undefined) ?? [];
    return runs
      .map((r) => `${r.model}${r.beta != null ? ` b=${r.beta}` : ''}: rec ${fmt(r.reconstructionLoss, 2)} kl ${fmt(r.kl, 2)}`)
      .join('; ');
  },
  async run(ctx): Promise<Summary> {
    const quick = ctx.opts.quick;
    const base = recipe('autoencoder'); // the four models share sizes, optimiser and data preparation
    const variant = base.variants[quick ? 'quick' : 'full'];
    const epochs = ctx.opts.epochs ?? variant.epochs;
    const batchSize = ctx.opts.batchSize ?? variant.batchSize;
    const lr = ctx.opts.lr ?? base.optimizer.lr;
    const data = await loadDigits(ctx, { trainCount: variant.trainCount, testCount: variant.testCount });
    const testX = base.prepareInputs(data.test.images);
    const tsneCount = Math.min(quick ? 300 : 1000, data.test.count);
    // held-out digits a sample is compared with ("is it digit-like?")
    const reference = testX.subarray(0, Math.min(1000, data.test.count) * 784);

    const variants = [{ model: 'autoencoder' as const, beta: null }, ...BETAS.map((beta) => ({ model: 'vae' as const, beta }))];
    const runs: RunResult[] = [];
    const steps: StepLoss[] = [];
    const shownIdx = spread(data.test.count, 10);
    const reconRows = [shownIdx.map((i) => scaleImage(greyImage(testX, 28, 28, { offset: i * 784, range: [-1, 1] }), 2))];
    const sampleRows: ReturnType<typeof scaleImage>[][] = [];
    const latentRows: Row[] = [];
    // kept in metrics.jsonl too, so a resumed run's report still lists the warnings of models it does not retrain
    const warnings: string[] = ctx.run
      .readMetrics()
      .flatMap((m) => (m.type === 'warning' && typeof m.message === 'string' ? [m.message] : []));
    setPitfallWarningSink((message) => {
      warnings.push(message);
      ctx.run.logMetric({ type: 'warning', message });
    });
    try {
      for (const v of variants) {
        const tag = v.model === 'vae' ? `vae-beta${v.beta}` : 'autoencoder';
        manualSeed(ctx.seed);
        const rec: Recipe<LatentModel, LatentOutput & { input: tf.Tensor }> =
          v.beta === null ? recipe('autoencoder') : recipe(`vae-${v.beta}`);
        const model: LatentModel = rec.create();
        const optimizer = rec.makeOptimizer(lr);
        try {
          const loader = rec.loader({ images: data.train.images, count: data.train.count }, { batchSize, seed: ctx.seed });
          const { loss, forward } = fitOptionsOf(rec);
          const trained = await trainModel(ctx, { tag, model, optimizer, data: loader, epochs, forward, loss });
          steps.push(...trained.steps);
          const ev = evaluateLatent(model, testX);
          const samples = tf.tidy(() => model.sample(10, ctx.seed).dataSync() as Float32Array);
          const digitLike = digitLikeShare(samples, reference, 784);
          const knn = knnAccuracy(ev.mu.subarray(0, tsneCount * LATENT), data.test.labels, LATENT);
          runs.push({
            model: v.model,
            beta: v.beta,
            reconstructionLoss: ev.rec,
            kl: ev.kl,
            finalTrainLoss: trained.finalLoss,
            digitLikeShare: digitLike,
            knnAccuracy: knn,
            tag,
          });
          ctx.log(`${tag}: held-out reconstruction ${fmt(ev.rec, 2)}, KL ${ev.kl === null ? '-' : fmt(ev.kl, 2)}`);

          // figures: reconstructions of the same test digits, samples from the prior, t-SNE of mu
          const shown = tf.tidy(
            () =>
              model
                .reconstruct(
                  tf.tensor2d(Float32Array.from(shownIdx.flatMap((i) => Array.from(testX.subarray(i * 784, (i + 1) * 784)))), [
                    shownIdx.length,
                    784,
                  ]),
                )
                .dataSync() as Float32Array,
          );
          reconRows.push(shownIdx.map((_, j) => scaleImage(greyImage(shown, 28, 28, { offset: j * 784, range: [-1, 1] }), 2)));
          sampleRows.push(
            Array.from({ length: 10 }, (_, j) => scaleImage(greyImage(samples, 28, 28, { offset: j * 784, range: [-1, 1] }), 2)),
          );
          const emb = tsne2d(ev.mu.subarray(0, tsneCount * LATENT), { count: tsneCount, seed: ctx.seed, iterations: quick ? 300 : 500 });
          for (let i = 0; i < tsneCount; i++)
            latentRows.push({ x: emb[2 * i]!, y: emb[2 * i + 1]!, digit: String(data.test.labels[i]), model: tag });
          ctx.run.writeFile(
            `latent-${tag}.png`,
            await renderChartPng(
              scatterSpec({
                title: `${tag}: t-SNE of the latent means, coloured by digit`,
                rows: latentRows.filter((r) => r.model === tag),
                x: 'x',
                y: 'y',
                color: 'digit',
                xTitle: 't-SNE 1',
                yTitle: 't-SNE 2',
                width: 360,
                height: 360,
              }),
            ),
          );
        } finally {
          model.dispose();
          optimizer.dispose();
        }
      }
    } finally {
      setPitfallWarningSink(null);
    }
    ctx.run.writeFile('reconstructions.png', encodePng(composeGrid(reconRows, { pad: 3, background: [128, 128, 128] })));
    ctx.run.writeFile('samples.png', encodePng(composeGrid(sampleRows, { pad: 3, background: [128, 128, 128] })));
    await writeLossCurves(ctx, 'loss-curves.png', steps, { title: 'Training loss (per image)', logY: true });

    const vaes = runs.filter((r) => r.model === 'vae');
    const klFalls = vaes.every((r, i) => i === 0 || (r.kl ?? 0) <= (vaes[i - 1]!.kl ?? 0));
    const recRises = vaes.every((r, i) => i === 0 || r.reconstructionLoss >= vaes[i - 1]!.reconstructionLoss);
    const report = new Report('Experiment 6: autoencoder vs beta-VAE')
      .paragraph(
        `Linear encoder 784 -> ${LATENT} (mu, and logVar for the VAE), linear decoder ${LATENT} -> 784 with tanh, pixels scaled to [-1, 1], MSE reconstruction summed per image; the VAE adds beta * KL(q(z|x) || N(0, I)) with ONE reduction for both terms (vaeLoss). ` +
          `Same seed and data (${data.source}), ${epochs} epoch(s), Adam lr ${lr}, batch ${batchSize}, backend ${ctx.backend}. Numbers are on ${data.test.count} held-out images, in eval mode (z = mu).`,
      )
      .table(
        ['model', 'beta', 'reconstruction (sum sq. error / image)', 'KL / image', 'final train loss'],
        runs.map((r) => [r.model, r.beta ?? '-', r.reconstructionLoss, r.kl ?? '-', r.finalTrainLoss]),
      )
      .heading('Reconstructions', 3)
      .image(
        'reconstructions.png',
        'reconstructions',
        `Top row: held-out digits. Then one row per model: ${runs.map((r) => r.tag).join(', ')}.`,
      )
      .heading('Samples from the prior N(0, I)', 3)
      .image('samples.png', 'samples', `One row per model: ${runs.map((r) => r.tag).join(', ')}.`)
      .heading('Latent maps (t-SNE of mu, coloured by digit)', 3);
    for (const r of runs) report.image(`latent-${r.tag}.png`, `latent map ${r.tag}`);
    report
      .image('loss-curves.png', 'training loss')
      .heading('What the numbers say')
      .bullets([
        `The KL term is a price on information in the code: as beta grows from ${BETAS.join(' to ')}, the held-out KL ${klFalls ? 'falls' : 'does not fall monotonically'} (${vaes.map((r) => fmt(r.kl, 1)).join(' -> ')}) and reconstruction error ${recRises ? 'rises' : 'does not rise monotonically'} (${vaes.map((r) => fmt(r.reconstructionLoss, 1)).join(' -> ')}). That is the beta-VAE trade-off: a code closer to the prior, paid for in detail.`,
        samplesSentence(runs),
        clusterSentence(runs),
      ]);
    if (warnings.length) report.heading('Warnings logitlab raised').bullets([...new Set(warnings)].map((w) => `\`${w}\``));
    ctx.run.writeReport(report.toString());

    return {
      experiment: 'vae-beta',
      seed: ctx.seed,
      backend: ctx.backend,
      data: data.source,
      epochs,
      batchSize,
      lr,
      latent: LATENT,
      runs: runs.map((r) => ({
        model: r.model,
        beta: r.beta,
        reconstructionLoss: r.reconstructionLoss,
        kl: r.kl,
        finalTrainLoss: r.finalTrainLoss,
        digitLikeShare: r.digitLikeShare,
        knnAccuracy: r.knnAccuracy,
      })),
      klFallsWithBeta: klFalls,
      reconstructionRisesWithBeta: recRises,
    };
  },
};
