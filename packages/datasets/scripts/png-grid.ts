import { PNG } from 'pngjs';

/** Tiles count images of h x w (values in [0, 1]) into a grey PNG, cols per row, `zoom` pixels per pixel. */
export function pngGrid(images: Float32Array, count: number, h: number, w: number, cols: number, zoom = 3): Buffer {
  const rows = Math.ceil(count / cols);
  const gap = 1;
  const width = cols * (w + gap) * zoom;
  const height = rows * (h + gap) * zoom;
  const png = new PNG({ width, height });
  png.data.fill(0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const cx = Math.floor(x / zoom);
      const cy = Math.floor(y / zoom);
      const tile = Math.floor(cy / (h + gap)) * cols + Math.floor(cx / (w + gap));
      const px = cx % (w + gap);
      const py = cy % (h + gap);
      let v = 60; // grey grid lines between tiles
      if (px < w && py < h) v = tile < count ? Math.round(255 * Math.min(1, Math.max(0, images[tile * h * w + py * w + px] ?? 0))) : 0;
      png.data[i] = v;
      png.data[i + 1] = v;
      png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
