import { IdxFormatError } from '../errors';
import type { ImageSet } from '../image-set';
import { parseIdx, writeIdx } from './idx';

export interface DecodeMnistOptions {
  /** Names for error messages. */
  imagesName?: string;
  labelsName?: string;
  /** Caps on the decompressed size of each file (see ParseIdxOptions.maxBytes). */
  maxBytes?: { images?: number; labels?: number };
}

/**
 * Turns an MNIST-style pair of IDX files (uint8 images [n, h, w], uint8 labels [n]; raw or gzip) into an
 * ImageSet with pixels scaled to [0, 1] (Float32Array) and Int32Array labels.
 */
export function decodeMnist(
  images: Uint8Array | ArrayBuffer,
  labels: Uint8Array | ArrayBuffer,
  options: DecodeMnistOptions = {},
): ImageSet {
  const { imagesName = 'images', labelsName = 'labels' } = options;
  const img = parseIdx(images, { name: imagesName, maxBytes: options.maxBytes?.images });
  const lab = parseIdx(labels, { name: labelsName, maxBytes: options.maxBytes?.labels });
  if (img.dtype !== 'uint8' || lab.dtype !== 'uint8') {
    throw new IdxFormatError(
      'wrong-dtype',
      `${imagesName}/${labelsName}: expected uint8 images and labels, got ${img.dtype} and ${lab.dtype}`,
    );
  }
  if (img.shape.length !== 3)
    throw new IdxFormatError('wrong-shape', `${imagesName}: expected rank-3 images [count, height, width], got [${img.shape.join(', ')}]`);
  if (lab.shape.length !== 1)
    throw new IdxFormatError('wrong-shape', `${labelsName}: expected rank-1 labels [count], got [${lab.shape.join(', ')}]`);
  const [count, height, width] = img.shape as [number, number, number];
  if (lab.shape[0] !== count) {
    throw new IdxFormatError('count-mismatch', `${imagesName} holds ${count} images but ${labelsName} holds ${lab.shape[0]} labels`);
  }
  const pixels = new Float32Array(img.data.length);
  const scale = 1 / 255;
  for (let i = 0; i < pixels.length; i++) pixels[i] = (img.data[i] as number) * scale;
  return { images: pixels, labels: Int32Array.from(lab.data), count, height, width };
}

/** The inverse of decodeMnist: pixels in [0, 1] are rounded to uint8, labels must fit in 0..255. */
export function encodeMnist(set: ImageSet, options: { gzip?: boolean } = {}): { images: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(set.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(Math.min(1, Math.max(0, set.images[i] as number)) * 255);
  const labels = new Uint8Array(set.count);
  for (let i = 0; i < set.count; i++) {
    const l = set.labels[i] as number;
    if (!Number.isInteger(l) || l < 0 || l > 255)
      throw new IdxFormatError('wrong-dtype', `encodeMnist: label ${l} at index ${i} does not fit in uint8`);
    labels[i] = l;
  }
  return {
    images: writeIdx({ data: pixels, shape: [set.count, set.height, set.width] }, options),
    labels: writeIdx({ data: labels, shape: [set.count] }, options),
  };
}
