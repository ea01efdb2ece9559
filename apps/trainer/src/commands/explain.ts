import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type Explanation, type ExplainOptions, type Method, explainAsync, randomisationCheck, scoreFunction } from '@logitlab/explain';
import { type Module, manualSeed } from '@logitlab/layers';
import { pixelFlipping, relevanceMassAccuracy, relevanceRankAccuracy } from '@logitlab/metrics';
import { onSyncReadableBackend } from '@logitlab/backends';
import { setupBackend } from '../backend';
import { MNIST_MEAN, MNIST_STD } from '@logitlab/datasets';
import { loadDigits, normalised } from '../data';
import { UsageError } from '../errors';
import { writeJsonAtomic } from '../fsutil';
import type { CommonOptions, ExplainFlags } from '../options';
import { renderChartPng } from '../plot/chart';
import { heatmapFigureSpec } from '../plot/heatmap';
import { buildModel } from '../recipes';
import { fmt } from '../report';
import { RunDir } from '../run-dir';
import { context, loadWeights, readTrainRun } from './train';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** What explaining one model kind needs: inputs, how to draw them, a ground-truth mask, zB bounds. */
export interface Inputs {
  x: Float32Array;
  count: number;
  sampleShape: number[];
  height: number;
  width: number;
  /** Input coding range (drawn black to white, zB's bounds, pixel-flipping noise range). */
  range: [number, number];
  /** 1 on ground-truth values: the digit's stroke (the target digit's for the sum-pool net); null where none is known. */
  masks: Float32Array | null;
  labels: string[];
  maskName: string;
  /** Values per pixel (NHWC's C; default 1): figures show the mean image and the summed relevance of a pixel. */
  channels?: number;
}

/** How one explanation run is set up, from the command's flags and the model. */
export interface ExplainRun {
  /** What the numbers' `model` field says ('convnet', or the .onnx file). */
  kind: string;
  arch: string;
  method: Method;
  composite?: string;
  target?: number;
  /** gradCam's layer; occlusion's window and stride. */
  layer?: string;
  occlusion: { window: number; stride: number };
  backend: string;
  seed: number;
}

async function inputsFor(kind: string, ctx: ReturnType<typeof context>, images: number, seed: number): Promise<Inputs> {
  const digits = await loadDigits(ctx, { trainCount: 10, testCount: Math.max(1000, images) });
  if (kind === 'sumpool') {
    const { pairedDigits } = await import('@logitlab/datasets');
    const pairs = pairedDigits(digits.test, { count: Math.max(images * 4, 40), seed: seed * 10 + 2 });
    const px = 28 * 56;
    const idx = Array.from({ length: pairs.count }, (_, i) => i)
      .filter((i) => pairs.targets[i]! > 50)
      .slice(0, images);
    const x = new Float32Array(idx.length * px);
    const masks = new Float32Array(idx.length * px);
    idx.forEach((i, k) => {
      x.set(pairs.images.subarray(i * px, (i + 1) * px), k * px);
      for (let j = 0; j < px; j++) {
        const m = pairs.masks[i * px + j]!;
        masks[k * px + j] = m >= 1 && m <= 4 ? 1 : 0; // 1 + digit on strokes: digits 0-3 are the targets
      }
    });
    const labels = idx.map((i, k) => `#${k}: digits ${pairs.digits[2 * i]} ${pairs.digits[2 * i + 1]}`);
    return {
      x,
      count: idx.length,
      sampleShape: [28, 56, 1],
      height: 28,
      width: 56,
      range: [-0.5, 1.5],
      masks,
      labels,
      maskName: "the 0-3 digit's stroke",
    };
  }
  const n = Math.min(images, digits.test.count);
  const raw = digits.test.images.subarray(0, n * 784);
  const masks = Float32Array.from(raw, (v) => (v > 0.5 ? 1 : 0));
  const labels = Array.from({ length: n }, (_, i) => `#${i}: label ${digits.test.labels[i]}`);
  const range: [number, number] = [(0 - MNIST_MEAN) / MNIST_STD, (1 - MNIST_MEAN) / MNIST_STD];
  return {
    x: normalised(raw),
    count: n,
    sampleShape: kind === 'bn-mlp' ? [784] : [28, 28, 1],
    height: 28,
    width: 28,
    range,
    masks,
    labels,
    maskName: "the digit's stroke",
  };
}

function defaultComposite(kind: string): string {
  return kind === 'sumpool' ? 'deepTaylor' : kind === 'convnet' ? 'epsilonGammaBox' : 'epsilonPlus';
}

/**
 * `logitlab explain <run-dir>`: heatmaps of a trained convnet (any head), bn-mlp or sum-pool run with
 * any @logitlab/explain method, overlaid on the inputs, plus conservation, pixel flipping (AOPC against
 * a random order), relevance mass / rank accuracy on the digit strokes and the randomisation check.
 */
export async function explainCommand(o: ExplainFlags & { checkpoint: string }): Promise<void> {
  if (typeof o.images !== 'number') {
    throw new UsageError(
      `--images '${o.images}': a run directory is explained on its own test digits; give a count (a dataset, IDX file or PNG directory is for .onnx models)`,
    );
  }
  const { config, checkpoint } = await readTrainRun(o.checkpoint);
  const kind = config.model;
  if (!['convnet', 'bn-mlp', 'sumpool'].includes(kind))
    throw new UsageError(`explain works on convnet, bn-mlp and sumpool runs; ${o.checkpoint} trained '${kind}'`);
  const backend = await setupBackend(o.backend);
  const out = new RunDir(o.out ? path.resolve(o.out) : o.checkpoint);
  const opts: CommonOptions = { backend: o.backend, data: config.options.dataSpec, download: false, quick: config.quick };
  const ctx = context(new RunDir(o.checkpoint), opts, config.seed, backend.name, 'explain');
  manualSeed(config.seed);
  const model = buildModel(kind, config.head);
  const method = o.method as Method;
  const composite = method === 'lrp' ? (o.composite ?? defaultComposite(kind)) : undefined;
  try {
    const arch = model.toString();
    await loadWeights(checkpoint, model, arch);
    const inp = await inputsFor(kind, ctx, o.images, config.seed);
    if (inp.count === 0) throw new UsageError('no images to explain');
    await explainAndReport(model, inp, out, {
      kind,
      arch,
      method,
      ...(composite ? { composite } : {}),
      ...(o.target !== undefined ? { target: o.target } : {}),
      ...(kind === 'convnet' ? { layer: 'conv2' } : {}),
      occlusion: { window: kind === 'bn-mlp' ? 28 : 4, stride: kind === 'bn-mlp' ? 28 : 2 },
      backend: backend.name,
      seed: config.seed,
    });
  } finally {
    model.dispose();
  }
}

/**
 * Explains `inp` with one method and writes what `explain` reports for any model: the heatmap figure
 * and a JSON of conservation, relevance mass / rank accuracy (where a ground truth is known), pixel
 * flipping against a random order and the randomisation check.
 */
export async function explainAndReport(model: Module, inp: Inputs, out: RunDir, r: ExplainRun): Promise<void> {
  const { kind, arch, method, composite } = r;
  const options: ExplainOptions = {
    method,
    ...(composite ? { composite: composite as ExplainOptions['composite'], bounds: inp.range } : {}),
    ...(r.target !== undefined ? { target: r.target } : {}),
    ...(method === 'gradCam' ? { layer: r.layer } : {}),
    ...(method === 'occlusion' ? r.occlusion : {}),
  };
  const x = tf.tensor(inp.x, [inp.count, ...inp.sampleShape]);
  let e: Explanation;
  try {
    // async reads: the same Explanation as explain, also where sync reads fail (webgpu in Node)
    e = await explainAsync(model, x, options);
  } finally {
    x.dispose();
  }
  const relevance = (await e.relevance.data()) as Float32Array;
  e.relevance.dispose();
  const label = composite ? `lrp (${composite})` : method;

  const px = inp.height * inp.width;
  const channels = inp.channels ?? 1;
  const mass = inp.masks ? relevanceMassAccuracy(relevance, inp.masks, inp.count) : null;
  const rank = inp.masks ? relevanceRankAccuracy(relevance, inp.masks, inp.count) : null;
  const steps = Math.floor((px * channels) / 4 / 4);
  // pixel flipping's score function and the randomisation check read synchronously
  const evaluateMaps = async () => {
    const score = scoreFunction(model, { sampleShape: inp.sampleShape, target: e.target });
    const flip = { count: inp.count, steps, pixelsPerStep: 4, perturbation: 'uniform' as const, range: inp.range, seed: r.seed };
    const pf = await pixelFlipping(score, inp.x, { ...flip, relevance });
    const pfRandom = await pixelFlipping(score, inp.x, { ...flip, order: 'random' });
    const xr = tf.tensor(inp.x, [inp.count, ...inp.sampleShape]);
    try {
      return { pf, pfRandom, sanity: randomisationCheck(model, xr, { ...options, target: e.target }, { seed: r.seed }) };
    } finally {
      xr.dispose();
    }
  };
  const { value, backend: evaluatedOn } = await onSyncReadableBackend(evaluateMaps, { keep: model.parameters() });
  const { pf, pfRandom, sanity } = value;
  if (evaluatedOn !== r.backend)
    log(`  (pixel flipping and the randomisation check ran on ${evaluatedOn}: they read synchronously, which ${r.backend} cannot)`);
  const conserved = Math.max(...Array.from(e.conservation.relError));

  const panels = Array.from({ length: inp.count }, (_, i) => ({
    row: `${inp.labels[i]}, target ${e.target[i]} (score ${fmt(e.score[i]!, 3)})`,
    column: label,
    image: perPixel(inp.x.subarray(i * px * channels, (i + 1) * px * channels), channels, 1 / channels),
    relevance: perPixel(relevance.subarray(i * px * channels, (i + 1) * px * channels), channels, 1),
  }));
  const name = `explain-${method}${composite ? `-${composite}` : ''}`;
  const figure = out.writeFile(
    `${name}.png`,
    await renderChartPng(
      heatmapFigureSpec({ title: `${arch}: ${label}`, height: inp.height, width: inp.width, panels, range: inp.range, pixel: 3 }),
    ),
  );
  const numbers = {
    model: kind,
    arch,
    method,
    ...(composite ? { composite } : {}),
    backend: r.backend,
    images: inp.count,
    target: Array.from(e.target),
    score: Array.from(e.score),
    conservation: { maxRelError: conserved, delta: Array.from(e.conservation.delta) },
    relevanceMassAccuracy: mass?.mean ?? null,
    relevanceRankAccuracy: rank?.mean ?? null,
    groundTruth: inp.maskName,
    aopcNormalized: { method: pf.aopcNormalized, random: pfRandom.aopcNormalized },
    randomisation: sanity,
    at: new Date().toISOString(),
  };
  const json = path.join(out.dir, `${name}.json`);
  writeJsonAtomic(json, numbers);
  log(`${arch}: ${label} on ${inp.count} image(s), backend ${r.backend}`);
  log(`  conservation: max |sum R - score| / |score| = ${fmt(conserved)}`);
  if (mass && rank) log(`  relevance mass accuracy on ${inp.maskName}: ${fmt(mass.mean, 3)}; rank accuracy ${fmt(rank.mean, 3)}`);
  log(
    `  AOPC (normalised, ${steps} steps of 4 pixels): ${fmt(pf.aopcNormalized, 3)} vs ${fmt(pfRandom.aopcNormalized, 3)} for a random order`,
  );
  log(
    `  randomisation check (Spearman with the trained model's heatmaps, cascading from the top): ${sanity.map((s) => `${s.layer} ${fmt(s.spearman, 3)}`).join(', ')}`,
  );
  log(`wrote ${figure} and ${json}`);
}

/** NHWC values of one image as one value per pixel: the channels summed and scaled (mean image, summed relevance). */
function perPixel(values: Float32Array, channels: number, scale: number): Float32Array {
  if (channels === 1) return values;
  const out = new Float32Array(values.length / channels);
  for (let p = 0; p < out.length; p++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += values[p * channels + c]!;
    out[p] = sum * scale;
  }
  return out;
}
