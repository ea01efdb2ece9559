import { downsampleRgba, type Gray } from '../lib/preprocess';

export interface DrawCanvasOptions {
  /** Model-side grid (28 x 28 for Classify, 56 x 28 for Explain). */
  width: number;
  height: number;
  /** Screen pixels per grid cell. */
  scale: number;
  /** Pen diameter in grid cells (MNIST strokes are ~2-3 pixels wide). */
  pen?: number;
  label?: string;
}

/**
 * A drawing pad: white strokes on black, drawn at `scale` x the model's resolution and box-averaged
 * down on read. Pointer events cover mouse, pen and touch alike; `touch-action: none` stops the
 * page from scrolling under a finger.
 */
export class DrawCanvas {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly listeners: Array<() => void> = [];
  private last: { x: number; y: number } | null = null;
  private pending = false;

  constructor(
    host: HTMLElement,
    private readonly opts: DrawCanvasOptions,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = opts.width * opts.scale;
    this.canvas.height = opts.height * opts.scale;
    this.canvas.className = 'draw-pad';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', opts.label ?? 'drawing pad');
    this.canvas.style.touchAction = 'none';
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('2d canvas context unavailable');
    this.ctx = ctx;
    host.appendChild(this.canvas);
    this.clear(false);
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    for (const type of ['pointerup', 'pointercancel', 'pointerleave'] as const) {
      this.canvas.addEventListener(type, () => this.up());
    }
  }

  /** Called (at most once per animation frame) whenever the drawing changes. */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  clear(notify = true): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (notify) this.changed();
  }

  /** The drawing at model resolution, values in [0, 1]. */
  read(): Gray {
    const { width, height } = this.canvas;
    return downsampleRgba(this.ctx.getImageData(0, 0, width, height).data, width, height, this.opts.scale);
  }

  /** Paints a model-resolution image (e.g. a picked digit) into a region of the pad. */
  paint(pixels: Float32Array, { x = 0, y = 0, width = this.opts.width, height = this.opts.height } = {}): void {
    const img = new ImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const v = Math.round(Math.max(0, Math.min(1, pixels[i] ?? 0)) * 255);
      img.data.set([v, v, v, 255], i * 4);
    }
    const tmp = document.createElement('canvas');
    tmp.width = width;
    tmp.height = height;
    tmp.getContext('2d')?.putImageData(img, 0, 0);
    // Nearest-neighbour upscaling so reading the pad back returns exactly these pixels.
    this.ctx.imageSmoothingEnabled = false;
    const s = this.opts.scale;
    this.ctx.drawImage(tmp, x * s, y * s, width * s, height * s);
    this.changed();
  }

  /** Covers the pad with an image (a dropped photo, in colour, smoothed), which strokes can then draw over. */
  drawImage(source: CanvasImageSource & { width: number; height: number }): void {
    this.clear(false);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.drawImage(source, 0, 0, this.canvas.width, this.canvas.height);
    this.changed();
  }

  /** Draws a polyline given in grid coordinates (tests and demos use it to draw without a pointer). */
  stroke(points: Array<[number, number]>): void {
    const s = this.opts.scale;
    let prev: { x: number; y: number } | null = null;
    for (const [gx, gy] of points) {
      const p = { x: gx * s, y: gy * s };
      this.segment(prev ?? p, p);
      prev = p;
    }
    this.changed();
  }

  private pos(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - r.left) / r.width) * this.canvas.width,
      y: ((e.clientY - r.top) / r.height) * this.canvas.height,
    };
  }

  private down(e: PointerEvent): void {
    e.preventDefault();
    // Capture keeps a stroke going when the finger leaves the pad; a pointer the browser does not
    // track (synthetic events) cannot be captured, and drawing must not fail for it.
    try {
      this.canvas.setPointerCapture(e.pointerId);
    } catch {
      /* not capturable */
    }
    this.last = this.pos(e);
    this.segment(this.last, this.last);
    this.changed();
  }

  private move(e: PointerEvent): void {
    if (!this.last) return;
    e.preventDefault();
    const p = this.pos(e);
    this.segment(this.last, p);
    this.last = p;
    this.changed();
  }

  private up(): void {
    this.last = null;
  }

  private segment(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const ctx = this.ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = (this.opts.pen ?? 2.2) * this.opts.scale;
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x + 0.01, b.y);
    ctx.stroke();
  }

  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      for (const fn of this.listeners) fn();
    });
  }
}

/** Draws a grid-resolution RGBA buffer onto a canvas, upscaled without smoothing. */
export function blit(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, width: number, height: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const tmp = document.createElement('canvas');
  tmp.width = width;
  tmp.height = height;
  tmp.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(tmp, 0, 0, canvas.width, canvas.height);
}
