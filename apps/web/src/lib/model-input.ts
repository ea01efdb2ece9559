/** An image model's input without the batch axis, NHWC: what a drawing or a dropped image is resized to. */
export interface ImageInput {
  height: number;
  width: number;
  /** 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
}

/**
 * The image input a model's declared shape describes, or why the tab cannot feed it: it draws and
 * resizes images, so it takes [H, W, 1] or [H, W, 3] (NHWC, as @logitlab/onnx imports images).
 */
export function imageInput(shape: readonly number[]): ImageInput | string {
  const [height, width, channels] = shape;
  if (shape.length !== 3 || !height || !width || (channels !== 1 && channels !== 3)) {
    return `the model's input is [N, ${shape.join(', ')}]; this tab feeds images [N, H, W, 1 or 3]`;
  }
  return { height, width, channels };
}

/**
 * RGBA bytes (a canvas's, already at the model's size) as the model's input values in [0, 1]:
 * the three colours for an RGB model, their mean for a grey one (a drawing is white on black, so
 * every pixel is grey and both agree).
 */
export function rgbaToInput(rgba: ArrayLike<number>, input: ImageInput): Float32Array {
  const n = input.height * input.width;
  if (rgba.length !== n * 4) throw new RangeError(`expected ${n * 4} RGBA bytes for ${input.width} x ${input.height}, got ${rgba.length}`);
  const out = new Float32Array(n * input.channels);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [rgba[i * 4] ?? 0, rgba[i * 4 + 1] ?? 0, rgba[i * 4 + 2] ?? 0];
    if (input.channels === 1) out[i] = (r + g + b) / 765;
    else out.set([r / 255, g / 255, b / 255], i * 3);
  }
  return out;
}

/**
 * One value per pixel from a channels-last map: relevance adds up over a pixel's channels (so the
 * map's sum, and its conservation, is unchanged), an image is shown as its mean.
 */
export function perPixel(values: ArrayLike<number>, channels: number, reduce: 'sum' | 'mean'): Float32Array {
  const out = new Float32Array(Math.floor(values.length / channels));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += values[i * channels + c] ?? 0;
    out[i] = reduce === 'sum' ? s : s / channels;
  }
  return out;
}

/** The k largest outputs, largest first, as [class, value] (the bars a page shows for many classes). */
export function topClasses(values: ArrayLike<number>, k: number): Array<[number, number]> {
  const all = Array.from(values, (v, i): [number, number] => [i, v]);
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
  return all.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
}
