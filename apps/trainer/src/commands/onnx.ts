import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Method } from '@logitlab/explain';
import { manualSeed } from '@logitlab/layers';
import { type GraphModule, OnnxImportError, importOnnx } from '@logitlab/onnx';
import { registerOnnxLrpLayers } from '@logitlab/onnx/explain';
import { setupBackend } from '../backend';
import { loadDigits } from '../data';
import { UsageError } from '../errors';
import { writeJsonAtomic } from '../fsutil';
import { digitImages, fitToModel, imagesFor } from '../onnx-images';
import { type BackendChoice, type CommonOptions, type DataSpec, MNIST_VARIANTS, parseData } from '../options';
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

export interface ExplainOnnxFlags {
  file: string;
  backend: BackendChoice;
  /** A count of the default digits, a dataset name, an IDX file or a directory of PNGs. */
  images: number | string;
  method: string;
  composite?: string;
  target?: number;
  out?: string;
}

/**
 * `logitlab explain model.onnx --images <n | dataset | IDX file | PNG dir>`: the imported model's
 * heatmaps and the evaluation numbers `explain <run-dir>` writes, for pixels in [0, 1].
 */
export async function explainOnnxCommand(o: ExplainOnnxFlags): Promise<void> {
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
