import type { LatentModel } from '@logitlab/models';
import { toPixel, type Bounds, type Plane } from '../lib/latent';
import { digitColor } from '../lib/palette';
import { LATENT_RANGE } from '../models/coding';
import type { ModelId } from '../models/recipes';
import { weightInfo } from '../models/weights';
import type { ZooEntry } from '../models/zoo';
import { canvas, h } from '../ui/dom';

/** The latent map's side in CSS pixels. */
export const MAP = 300;
/** Latent dimensions with a slider each (the code has 30). */
export const SLIDERS = 4;

/** One model's column: reconstruction, prior samples, latent map, decoded click. */
export interface Column {
  title: HTMLElement;
  badge: HTMLElement;
  /** What make-weights measured of the shipped weights' samples (empty when nothing was, or other weights are in use). */
  quality: HTMLElement;
  recon: HTMLCanvasElement;
  samples: HTMLElement;
  map: HTMLCanvasElement;
  decoded: HTMLCanvasElement;
  entry: ZooEntry<LatentModel> | null;
  /** How the model codes pixels: [-1, 1] for the tanh decoders, [0, 1] for the sigmoid VAE. */
  range: readonly [number, number];
  plane: Plane | null;
  points: Float32Array;
  bounds: Bounds;
  click: { x: number; y: number } | null;
  /** The code last decoded (a map point lifted to the latent space, then slider edits). */
  z: Float32Array | null;
  sliders: HTMLInputElement[];
  /** Latest pointer position waiting while a decode runs (hover and drag decode continuously). */
  queued: { x: number; y: number } | null;
  decoding: boolean;
}

/** A column's card and its state, empty until a model is loaded. */
export function column(kind: 'vae' | 'ae'): { el: HTMLElement; col: Column } {
  const suffix = kind === 'vae' ? '' : '-ae';
  const col: Column = {
    title: h('h3', {}, kind === 'vae' ? 'VAE' : 'Autoencoder'),
    badge: h('span', { class: 'badge' }, 'loading…'),
    quality: h('p', { class: 'sub', id: `sample-quality${suffix}` }),
    recon: canvas(84, 84, { id: `recon${suffix}`, role: 'img', 'aria-label': 'reconstruction of the digit' }),
    samples: h('div', { class: 'grid-images', id: `samples${suffix}`, role: 'group', 'aria-label': 'decoded random codes' }),
    map: canvas(MAP, MAP, {
      class: 'latent-map',
      id: `latent-map${suffix}`,
      tabindex: '0',
      role: 'img',
      'aria-label': 'codes of 600 digits on their first two principal axes; point, drag or use the arrow keys to decode a point',
    }),
    decoded: canvas(84, 84, { id: `decoded${suffix}`, role: 'img', 'aria-label': 'the digit decoded from the chosen point' }),
    entry: null,
    range: LATENT_RANGE,
    plane: null,
    points: new Float32Array(),
    bounds: { minX: -1, maxX: 1, minY: -1, maxY: 1 },
    click: null,
    z: null,
    sliders: Array.from({ length: SLIDERS }, (_, i) =>
      h('input', { type: 'range', min: -300, max: 300, value: 0, id: `z${i}${suffix}`, 'aria-label': `latent dimension ${i + 1}` }),
    ),
    queued: null,
    decoding: false,
  };
  const el = h(
    'div',
    { class: 'card' },
    h('div', { class: 'toolbar' }, col.title, col.badge),
    h(
      'p',
      { class: 'sub' },
      kind === 'vae'
        ? 'KL term pulls codes towards N(0, I): the prior is a map of digits.'
        : 'No prior: codes go wherever reconstruction wants; random codes decode to noise.',
    ),
    h(
      'div',
      { class: 'row' },
      h('div', { class: 'map' }, col.recon, h('span', { class: 'muted recon-label' }, 'reconstruction')),
      h('div', { class: 'map' }, col.decoded, h('span', { class: 'muted' }, 'decoded point')),
    ),
    h('p', { class: 'sub spaced' }, 'samples: decoded z ~ N(0, I)'),
    col.samples,
    col.quality,
    h('p', { class: 'sub spaced' }, 'codes of 600 digits on their first two principal axes; point, drag or use the arrow keys to decode'),
    col.map,
    h('p', { class: 'sub spaced' }, `first ${SLIDERS} latent dimensions of the decoded code`),
    h('div', { class: 'sliders' }, ...col.sliders.map((sl, i) => h('label', { class: 'muted' }, `z${i + 1}`, sl))),
  );
  return { el, col };
}

/** The codes of the map's digits, coloured by label, with the chosen point marked. */
export function drawMap(c: Column, labels: Int32Array): void {
  const ctx = c.map.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, MAP, MAP);
  for (let i = 0; i * 2 < c.points.length; i++) {
    const { px, py } = toPixel(c.bounds, MAP, MAP, c.points[i * 2] ?? 0, c.points[i * 2 + 1] ?? 0);
    ctx.fillStyle = digitColor(labels[i] ?? 0);
    ctx.globalAlpha = 0.75;
    ctx.beginPath();
    ctx.arc(px, py, 2.6, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  if (c.click) {
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(c.click.x, c.click.y, 7, 0, Math.PI * 2);
    ctx.moveTo(c.click.x - 11, c.click.y);
    ctx.lineTo(c.click.x + 11, c.click.y);
    ctx.moveTo(c.click.x, c.click.y - 11);
    ctx.lineTo(c.click.x, c.click.y + 11);
    ctx.stroke();
  }
}

/** The map's colour key: one swatch per digit. */
export function mapLegend(): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    ...Array.from({ length: 10 }, (_, d) => {
      const s = h('span', {}, String(d));
      s.style.setProperty('--c', digitColor(d));
      return s;
    }),
  );
}

/** What make-weights measured of the shipped weights' prior samples ('' when nothing was, or other weights are in use). */
export async function sampleQuality(id: ModelId, entry: ZooEntry<LatentModel>): Promise<string> {
  const info = await weightInfo(id);
  const share = info?.metrics['priorSamplesDigitLike'];
  const digits = /mnist/i.test(info?.data ?? '') ? 'MNIST' : 'synthetic';
  return entry.source === 'pretrained' && share !== undefined
    ? `${Math.round(share * 100)}% of 100 prior samples are closer to a held-out ${digits} digit than to flat grey (measured by make-weights)`
    : '';
}
