import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, type ImageSet } from '@logitlab/datasets';
import type { Method } from '@logitlab/explain';
import { manualSeed, moduleToSafetensors } from '@logitlab/layers';
import { crossEntropy, nllLoss } from '@logitlab/losses';
import { batchAccuracy, evaluate, fit } from '@logitlab/train';
import { type GraphModule, OnnxImportError, importOnnx } from '@logitlab/onnx';
import { registerOnnxLrpLayers } from '@logitlab/onnx/explain';
import { setupBackend } from '../backend';
import { loadDigits } from '../data';
import { UsageError } from '../errors';
import { writeJsonAtomic } from '../fsutil';
import { digitImages, fitToModel, imagesFor } from '../onnx-images';
import {
  type BackendChoice,
  type CommonOptions,
  type DataSpec,
  type ExplainFlags,
  MNIST_VARIANTS,
  describeData,
  parseData,
} from '../options';
import { fmt } from '../report';
import { RunDir, defaultRunDir } from '../run-dir';
import { explainAndReport } from './explain';
import { context } from './train';

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Reads and imports an .onnx file; an unreadable or unsupported file is a one-line usage error. */
export function loadOnnx(file: string): GraphModule {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    throw new UsageError(`${file}: cannot read it (${(e as Error).message})`);
  }
  try {
    return importOnnx(bytes);
  } catch (e) {
    if (e instanceof OnnxImportError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

const DATASETS = ['synthetic', ...MNIST_VARIANTS];

/**
 * `logitlab explain model.onnx --images <n | dataset | IDX file | PNG dir>`: the imported model's
 * heatmaps and the evaluation numbers `explain <run-dir>` writes, for pixels in [0, 1].
 */
export async function explainOnnxCommand(o: ExplainFlags & { file: string }): Promise<void> {
  const backend = await setupBackend(o.backend);
  const name = path.basename(o.file, path.extname(o.file));
  const out = new RunDir(o.out ? path.resolve(o.out) : defaultRunDir(`explain-${name}`));
  const dataset = typeof o.images === 'string' && DATASETS.includes(o.images);
  const data: DataSpec = dataset ? parseData(o.images as string) : { kind: 'default' };
  const ctx = context(out, { backend: o.backend, data, download: false, quick: false }, 0, backend.name, 'explain');
  manualSeed(0);
  const model = loadOnnx(o.file);
  registerOnnxLrpLayers();
  try {
    const source = typeof o.images === 'number' ? o.images : dataset ? 8 : o.images;
    const images = await imagesFor(source, model.inputShape, ctx);
    const [height, width, channels] = model.inputShape as [number, number, number];
    const convs = model.namedModules().filter(([, m]) => m.typeName === 'Conv2d');
    const method = o.method as Method;
    await explainAndReport(
      model,
      {
        x: images.x,
        count: images.count,
        sampleShape: [...model.inputShape],
        height,
        width,
        channels,
        range: [0, 1],
        masks: images.masks,
        labels: images.labels,
        maskName: "the digit's stroke",
      },
      out,
      {
        kind: o.file,
        arch: model.toString(),
        method,
        ...(method === 'lrp' ? { composite: o.composite ?? 'epsilonPlus' } : {}),
        ...(o.target !== undefined ? { target: o.target } : {}),
        ...(convs.length ? { layer: convs.at(-1)![0] } : {}),
        occlusion: { window: 4, stride: 2 },
        backend: backend.name,
        seed: 0,
      },
    );
    log(`images: ${images.source}`);
  } finally {
    model.dispose();
  }
}

/** `logitlab evaluate model.onnx --data <source>`: accuracy of an imported classifier on the test digits. */
export async function evaluateOnnxCommand(o: {
  file: string;
  backend: BackendChoice;
  data: DataSpec | undefined;
  download: boolean;
}): Promise<void> {
  const backend = await setupBackend(o.backend);
  const opts: CommonOptions = { backend: o.backend, data: o.data ?? { kind: 'default' }, download: o.download, quick: false };
  const ctx = context(new RunDir(defaultRunDir('evaluate-onnx')), opts, 0, backend.name, 'evaluate');
  const model = loadOnnx(o.file);
  try {
    const digits = await loadDigits(ctx, { trainCount: 10, testCount: 10_000 });
    const images = fitToModel(digitImages(digits.test, digits.test.count), model.inputShape);
    const sample = images.x.length / images.count;
    let correct = 0;
    for (let start = 0; start < images.count; start += 256) {
      const n = Math.min(256, images.count - start);
      const predicted = tf.tidy(() => {
        const x = tf.tensor(images.x.subarray(start * sample, (start + n) * sample), [n, ...model.inputShape]);
        return tf.argMax(tf.reshape(model.call(x), [n, -1]), 1).dataSync();
      });
      for (let i = 0; i < n; i++) if (predicted[i] === digits.test.labels[start + i]) correct++;
    }
    const accuracy = correct / images.count;
    log(`${o.file} on ${digits.source}: accuracy ${fmt(accuracy, 4)} (${correct} / ${images.count}), backend ${backend.name}`);
    writeJsonAtomic(`${o.file}.evaluation.json`, {
      model: o.file,
      data: digits.source,
      accuracy,
      count: images.count,
      backend: backend.name,
      at: new Date().toISOString(),
    });
  } finally {
    model.dispose();
  }
}

/** The loss for an imported classifier's output: nllLoss after a LogSoftmax head, crossEntropy on logits. */
function lossFor(model: GraphModule, file: string): typeof crossEntropy {
  const leaves = model.namedModules().filter(([, m]) => m.children().length === 0);
  const last = leaves.at(-1)?.[1].typeName;
  if (last === 'Softmax' || last === 'Sigmoid') {
    throw new UsageError(
      `${file} ends in ${last}: fine-tuning needs the logits (or log_softmax) as the output; export the model without its ${last}`,
    );
  }
  return last === 'LogSoftmax' ? nllLoss : crossEntropy;
}

/**
 * `logitlab train --from model.onnx`: fine-tunes an imported PyTorch classifier on digits and writes
 * its state dict as model.safetensors under PyTorch's names (load_state_dict(..., strict=True) takes it),
 * with the test accuracy before and after.
 */
export async function trainOnnxCommand(file: string, opts: CommonOptions): Promise<void> {
  if (opts.resume) throw new UsageError('--resume is not supported with --from; start a new fine-tuning run');
  const backend = await setupBackend(opts.backend);
  const name = path.basename(file, path.extname(file));
  const run = new RunDir(opts.out ? path.resolve(opts.out) : defaultRunDir(`train-${name}`));
  const seed = opts.seed ?? 0;
  const epochs = opts.epochs ?? (opts.quick ? 1 : 3);
  const batchSize = opts.batchSize ?? 64;
  const lr = opts.lr ?? 1e-3;
  run.writeConfig({
    command: 'train',
    from: file,
    seed,
    epochs,
    batchSize,
    lr,
    quick: opts.quick,
    data: describeData(opts.data),
    argv: process.argv.slice(2),
  });
  const ctx = context(run, opts, seed, backend.name, name);
  manualSeed(seed);
  const model = loadOnnx(file);
  const optimizer = tf.train.adam(lr);
  try {
    const loss = lossFor(model, file);
    const digits = await loadDigits(ctx, { trainCount: opts.quick ? 2000 : 60_000, testCount: opts.quick ? 500 : 10_000 });
    const loader = (set: ImageSet, shuffle: boolean) => {
      const images = fitToModel(digitImages(set, set.count), model.inputShape);
      return new DataLoader({ x: images.x, xShape: [...model.inputShape], y: set.labels, yShape: [] }, { batchSize, shuffle, seed });
    };
    const test = loader(digits.test, false);
    const accuracy = async () => (await evaluate(model.eval(), test, { accuracy: batchAccuracy })).metrics.accuracy!;
    const before = await accuracy();
    log(`[${name}] ${digits.source}: test accuracy before fine-tuning ${fmt(before, 4)}`);
    model.train();
    await fit(model, { loss, optimizer, data: loader(digits.train, true), epochs, seed });
    const after = await accuracy();
    const weights = run.writeFile('model.safetensors', moduleToSafetensors(model, { format: 'pt', source: path.basename(file) }));
    run.writeSummary({
      from: file,
      data: digits.source,
      backend: backend.name,
      epochs,
      accuracy: { before, after },
      report: model.report,
      at: new Date().toISOString(),
    });
    log(`[${name}] test accuracy after ${epochs} epoch(s): ${fmt(after, 4)}`);
    log(`wrote ${weights} (PyTorch state-dict names: model.load_state_dict(load_file(...), strict=True))`);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
