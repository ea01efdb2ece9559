/**
 * Canvas pixels -> model input. Pure functions over typed arrays so they are unit-tested without a
 * DOM. Images are row-major, one value per pixel in [0, 1], white strokes on black (MNIST convention).
 */

/** A grayscale image: `data[y * width + x]`. */
export interface Gray {
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * Box-averages an RGBA buffer (as from `getImageData`) down by an integer factor per axis, reading
 * brightness from the red channel weighted by alpha (strokes are drawn white on a black canvas).
 */
export function downsampleRgba(rgba: Uint8ClampedArray, srcWidth: number, srcHeight: number, factor: number): Gray {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`factor must be a positive integer, got ${factor}`);
  if (srcWidth % factor || srcHeight % factor) {
    throw new RangeError(`source ${srcWidth}x${srcHeight} is not divisible by factor ${factor}`);
  }
  if (rgba.length !== srcWidth * srcHeight * 4) {
    throw new RangeError(`rgba has ${rgba.length} bytes, expected ${srcWidth * srcHeight * 4} for ${srcWidth}x${srcHeight}`);
  }
  const width = srcWidth / factor;
  const height = srcHeight / factor;
  const data = new Float32Array(width * height);
  const norm = 1 / (factor * factor * 255 * 255);
  for (let y = 0; y < srcHeight; y++) {
    const row = Math.floor(y / factor) * width;
    for (let x = 0; x < srcWidth; x++) {
      const i = (y * srcWidth + x) * 4;
      data[row + Math.floor(x / factor)]! += (rgba[i] ?? 0) * (rgba[i + 3] ?? 0) * norm;
    }
  }
  return { data, width, height };
}

/** Bounding box of pixels above `threshold`, or null for a blank image. */
export function boundingBox(img: Gray, threshold = 0.05): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = img.width;
  let y0 = img.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if ((img.data[y * img.width + x] ?? 0) > threshold) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

/** Intensity-weighted centre of mass (x, y) in pixel coordinates, or the image centre when blank. */
export function centerOfMass(img: Gray): { x: number; y: number } {
  let sum = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x] ?? 0;
      sum += v;
      sx += v * x;
      sy += v * y;
    }
  }
  return sum > 0 ? { x: sx / sum, y: sy / sum } : { x: (img.width - 1) / 2, y: (img.height - 1) / 2 };
}

/** Bilinear sample with zeros outside the image. */
function sample(img: Gray, x: number, y: number): number {
  const xf = Math.floor(x);
  const yf = Math.floor(y);
  const ax = x - xf;
  const ay = y - yf;
  const at = (xi: number, yi: number): number =>
    xi < 0 || yi < 0 || xi >= img.width || yi >= img.height ? 0 : (img.data[yi * img.width + xi] ?? 0);
  return (1 - ay) * ((1 - ax) * at(xf, yf) + ax * at(xf + 1, yf)) + ay * ((1 - ax) * at(xf, yf + 1) + ax * at(xf + 1, yf + 1));
}

/**
 * MNIST's own normalisation, so a digit drawn anywhere on the pad looks like the training data:
 * the stroke's bounding box is scaled to fit `box` x `box` pixels (aspect kept) and the result is
 * placed so its centre of mass lands on the centre of a `size` x `size` image.
 */
export function normalizeLikeMnist(img: Gray, { size = 28, box = 20 }: { size?: number; box?: number } = {}): Gray {
  const bb = boundingBox(img);
  const out: Gray = { data: new Float32Array(size * size), width: size, height: size };
  if (!bb) return out;
  const bw = bb.x1 - bb.x0 + 1;
  const bh = bb.y1 - bb.y0 + 1;
  const scale = box / Math.max(bw, bh);
  // Scaled copy of the box, drawn centred in a size x size frame.
  const scaled: Gray = { data: new Float32Array(size * size), width: size, height: size };
  const offX = (size - bw * scale) / 2;
  const offY = (size - bh * scale) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Pixel centres map back through the scale; -0.5 keeps the mapping centre-aligned.
      const sx = bb.x0 + (x + 0.5 - offX) / scale - 0.5;
      const sy = bb.y0 + (y + 0.5 - offY) / scale - 0.5;
      scaled.data[y * size + x] = sample(img, sx, sy);
    }
  }
  const com = centerOfMass(scaled);
  const dx = (size - 1) / 2 - com.x;
  const dy = (size - 1) / 2 - com.y;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) out.data[y * size + x] = Math.min(1, Math.max(0, sample(scaled, x - dx, y - dy)));
  }
  return out;
}

/** Maps [0, 1] pixels linearly into `[lo, hi]` (the explainer is trained on [-0.5, 1.5]). */
export function toRange(data: Float32Array, [lo, hi]: readonly [number, number]): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = lo + (hi - lo) * (data[i] ?? 0);
  return out;
}

/** Places two 28x28 digits side by side into one 28x56 image. */
export function composePair(left: Float32Array, right: Float32Array, size = 28): Float32Array {
  if (left.length !== size * size || right.length !== size * size) {
    throw new RangeError(`composePair expects two ${size}x${size} images, got ${left.length} and ${right.length} pixels`);
  }
  const out = new Float32Array(size * size * 2);
  for (let y = 0; y < size; y++) {
    out.set(left.subarray(y * size, (y + 1) * size), y * size * 2);
    out.set(right.subarray(y * size, (y + 1) * size), y * size * 2 + size);
  }
  return out;
}
