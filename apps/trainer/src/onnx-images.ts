import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type ImageSet, parseIdx } from '@logitlab/datasets';
import { PNG } from 'pngjs';
import { loadDigits } from './data';
import { UsageError } from './errors';
import type { ExperimentContext } from './context';

/** Images for an imported model: NHWC in the model's input shape, pixels in [0, 1]. */
export interface ModelImages {
  x: Float32Array;
  count: number;
  labels: string[];
  /** 1 on the digit's stroke, per value (dataset and IDX digits); null for photos and drawings. */
  masks: Float32Array | null;
  source: string;
}

/** Images as they were read, before they are fitted to a model's input. */
export interface Raw {
  pixels: Float32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  labels: string[];
  strokes: boolean;
}

/** PNG files of a directory, in name order: greyscale when every one is grey, else RGB. */
function pngDir(dir: string, limit: number): Raw {
  const pngs = fs.readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.png'));
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh filtered copy; toSorted is ES2023
  const files = pngs.sort().slice(0, limit);
  if (files.length === 0) throw new UsageError(`--images: ${dir} holds no .png files`);
  const decoded = files.map((f) => {
    try {
      return PNG.sync.read(fs.readFileSync(path.join(dir, f)));
    } catch (e) {
      throw new UsageError(`--images: ${f} is not a readable PNG (${(e as Error).message})`);
    }
  });
  const { width, height } = decoded[0]!;
  if (decoded.some((p) => p.width !== width || p.height !== height)) throw new UsageError(`--images: the PNGs in ${dir} differ in size`);
  const grey = decoded.every((p) => {
    for (let i = 0; i < p.data.length; i += 4) if (p.data[i] !== p.data[i + 1] || p.data[i] !== p.data[i + 2]) return false;
    return true;
  });
  const channels = grey ? 1 : 3;
  const pixels = new Float32Array(files.length * height * width * channels);
  decoded.forEach((p, k) => {
    for (let i = 0; i < width * height; i++) {
      for (let c = 0; c < channels; c++) pixels[(k * width * height + i) * channels + c] = p.data[i * 4 + c]! / 255;
    }
  });
  return { pixels, count: files.length, height, width, channels, labels: files, strokes: false };
}

/** An IDX image file ([n, h, w] or [n, h, w, c], raw or gzip), scaled to [0, 1]. */
function idxFile(file: string, limit: number): Raw {
  const idx = parseIdx(fs.readFileSync(file), { name: file });
  const [n, height, width, channels = 1] = idx.shape as number[];
  if (!(idx.shape.length === 3 || idx.shape.length === 4) || !height || !width) {
    throw new UsageError(`--images: ${file} holds IDX data of shape [${idx.shape.join(', ')}], expected images [n, h, w] or [n, h, w, c]`);
  }
  const count = Math.min(limit, n!);
  const scale = idx.dtype === 'uint8' ? 1 / 255 : 1;
  const pixels = Float32Array.from(idx.data.subarray(0, count * height * width * channels), (v) => v * scale);
  return { pixels, count, height, width, channels, labels: Array.from({ length: count }, (_, i) => `#${i}`), strokes: true };
}

/** The first `count` digits of a set (28 x 28 grey), labelled with their class. */
export function digitImages(set: ImageSet, count: number): Raw {
  const n = Math.min(count, set.count);
  return {
    pixels: set.images.slice(0, n * set.height * set.width),
    count: n,
    height: set.height,
    width: set.width,
    channels: 1,
    labels: Array.from({ length: n }, (_, i) => `#${i}: label ${set.labels[i]}`),
    strokes: true,
  };
}

/**
 * The images `--images` names for a model with NHWC input [h, w, c]: a count of the digits `ctx`'s
 * data spec names (a dataset), or the path of an IDX file or a directory of PNGs; fitted to the model.
 */
export async function imagesFor(
  source: number | string,
  inputShape: readonly number[],
  ctx: ExperimentContext,
  limit = 8,
): Promise<ModelImages> {
  let raw: Raw;
  let described: string;
  if (typeof source === 'number') {
    const digits = await loadDigits(ctx, { trainCount: 10, testCount: Math.max(100, source) });
    raw = digitImages(digits.test, source);
    described = digits.source;
  } else {
    if (!fs.existsSync(source))
      throw new UsageError(`--images: '${source}' is neither a dataset name, an IDX file nor a directory of PNGs`);
    raw = fs.statSync(source).isDirectory() ? pngDir(source, limit) : idxFile(source, limit);
    described = source;
  }
  return { ...fitToModel(raw, inputShape), source: described };
}

/**
 * Images in a model's input shape [h, w, c]: resized (bilinear) and given its channel count (grey
 * repeated to RGB, RGB averaged to grey); digit strokes (> 0.5) become the ground-truth masks.
 */
export function fitToModel(raw: Raw, inputShape: readonly number[]): Omit<ModelImages, 'source'> {
  if (inputShape.length !== 3) {
    throw new UsageError(`the model takes input [N, ${inputShape.join(', ')}]; it needs images [N, H, W, C]`);
  }
  const [h, w, c] = inputShape as [number, number, number];
  const x = tf.tidy(() => {
    let t: tf.Tensor4D = tf.tensor4d(raw.pixels, [raw.count, raw.height, raw.width, raw.channels]);
    if (raw.height !== h || raw.width !== w) t = tf.image.resizeBilinear(t, [h, w]);
    if (raw.channels !== c) t = c === 1 ? tf.mean(t, -1, true) : raw.channels === 1 ? tf.tile(t, [1, 1, 1, c]) : t;
    if (t.shape[3] !== c) throw new UsageError(`the images have ${raw.channels} channels; the model takes ${c}`);
    return t.dataSync() as Float32Array;
  });
  const masks = raw.strokes ? Float32Array.from(x, (v) => (v > 0.5 ? 1 : 0)) : null;
  return { x, count: raw.count, labels: raw.labels, masks };
}
