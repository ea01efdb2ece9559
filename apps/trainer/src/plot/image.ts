import { divergingColor, grayLevel, maxAbs } from '@logitlab/metrics';
import { PNG } from 'pngjs';

/** An 8-bit RGB raster, row-major. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array; // width * height * 3
}

export function blank(width: number, height: number, rgb: [number, number, number] = [255, 255, 255]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { width, height, data };
}

function checkSize(values: ArrayLike<number>, offset: number, height: number, width: number): void {
  if (offset + height * width > values.length) {
    throw new RangeError(`image at offset ${offset} of ${height}x${width} runs past the ${values.length} values given`);
  }
}

/** Grey image from values in `range` (clamped), e.g. [0, 1] for MNIST or [-0.5, 1.5] for the paper's coding. */
export function greyImage(
  values: ArrayLike<number>,
  height: number,
  width: number,
  { offset = 0, range = [0, 1] as [number, number] } = {},
): RgbImage {
  checkSize(values, offset, height, width);
  const img = blank(width, height);
  const [lo, hi] = range;
  for (let i = 0; i < height * width; i++) {
    const v = grayLevel(values[offset + i] ?? 0, lo, hi);
    img.data[i * 3] = v;
    img.data[i * 3 + 1] = v;
    img.data[i * 3 + 2] = v;
  }
  return img;
}

/**
 * Relevance heatmap in the LRP papers' style (metrics' divergingColor, the web demo's map): white at
 * zero, red for positive, blue for negative, scaled per image by the largest |value|.
 */
export function heatImage(values: ArrayLike<number>, height: number, width: number, { offset = 0 } = {}): RgbImage {
  checkSize(values, offset, height, width);
  const window = Array.prototype.slice.call(values, offset, offset + height * width) as number[];
  const max = maxAbs(window);
  const img = blank(width, height);
  for (let i = 0; i < height * width; i++) img.data.set(divergingColor(max > 0 ? (window[i] ?? 0) / max : 0), i * 3);
  return img;
}

/** Nearest-neighbour upscale: a 28x28 digit is unreadable at 1:1 in a report. */
export function scaleImage(img: RgbImage, factor: number): RgbImage {
  if (factor === 1) return img;
  const out = blank(img.width * factor, img.height * factor);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const src = (Math.floor(y / factor) * img.width + Math.floor(x / factor)) * 3;
      out.data.set(img.data.subarray(src, src + 3), (y * out.width + x) * 3);
    }
  }
  return out;
}

/** Lays tiles out in rows (ragged rows allowed), separated by `pad` pixels of background. */
export function composeGrid(rows: RgbImage[][], { pad = 2, background = [255, 255, 255] as [number, number, number] } = {}): RgbImage {
  const rowHeights = rows.map((r) => Math.max(0, ...r.map((t) => t.height)));
  const rowWidths = rows.map((r) => r.reduce((w, t) => w + t.width, 0) + pad * Math.max(0, r.length - 1));
  const width = Math.max(1, ...rowWidths) + 2 * pad;
  const height = rowHeights.reduce((h, r) => h + r, 0) + pad * (rows.length + 1);
  const out = blank(width, Math.max(1, height), background);
  let y = pad;
  rows.forEach((row, r) => {
    let x = pad;
    for (const tile of row) {
      for (let ty = 0; ty < tile.height; ty++) {
        out.data.set(tile.data.subarray(ty * tile.width * 3, (ty + 1) * tile.width * 3), ((y + ty) * width + x) * 3);
      }
      x += tile.width + pad;
    }
    y += (rowHeights[r] ?? 0) + pad;
  });
  return out;
}

export function encodePng(img: RgbImage): Uint8Array {
  const png = new PNG({ width: img.width, height: img.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return new Uint8Array(PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

export function decodePng(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
}

/** A grid of grey images (count of them, `cols` per row), as a PNG. */
export function imageGridPng(
  images: ArrayLike<number>,
  {
    count,
    height,
    width,
    cols = 10,
    scale = 2,
    range = [0, 1] as [number, number],
  }: { count: number; height: number; width: number; cols?: number; scale?: number; range?: [number, number] },
): Uint8Array {
  const rows: RgbImage[][] = [];
  for (let i = 0; i < count; i++) {
    const tile = scaleImage(greyImage(images, height, width, { offset: i * height * width, range }), scale);
    if (i % cols === 0) rows.push([]);
    rows[rows.length - 1]?.push(tile);
  }
  return encodePng(composeGrid(rows, { pad: 2, background: [128, 128, 128] }));
}
