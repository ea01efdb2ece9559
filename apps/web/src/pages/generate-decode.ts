import * as tf from '@tensorflow/tfjs-core';
import { exclusive, status } from '../app';
import { grayRgba } from '../lib/heatmap';
import { boundsOf, lift, principalPlane, project, toLatent } from '../lib/latent';
import { parseSliderValues } from '../lib/slider-values';
import { toRange } from '../lib/preprocess';
import { trainingDigits } from '../models/data';
import { readParam } from '../state/url';
import { blit } from '../ui/draw-canvas';
import { canvas } from '../ui/dom';
import { type Column, drawMap, MAP, SLIDERS } from './generate-column';

// What a Generate column computes: its reconstruction, prior samples, latent map and decoded points.
const MAP_POINTS = 600;
const SAMPLES = 8;

const codeIn = (c: Column, pixels: Float32Array): Float32Array => toRange(pixels, c.range);

/** Decodes `z` ([n, latent] row-major) with a column's model; values in the column's range. */
async function decode(c: Column, z: Float32Array, n: number): Promise<Float32Array> {
  const model = c.entry?.model;
  if (!model) return new Float32Array();
  return exclusive(async () => {
    const zt = tf.tensor2d(z, [n, z.length / n]);
    const y = model.decode(zt);
    const values = (await y.data()) as Float32Array;
    tf.dispose([zt, y]);
    return values;
  });
}

/** Encodes a fixed set of digits, finds the principal plane, draws the scatter. */
export async function mapLatents(c: Column): Promise<void> {
  const model = c.entry?.model;
  if (!model) return;
  const set = trainingDigits();
  const n = Math.min(MAP_POINTS, set.count);
  const mu = await exclusive(async () => {
    const x = tf.tensor2d(codeIn(c, set.images.subarray(0, n * 784)), [n, 784]);
    const { mu: m, logVar } = model.encode(x);
    const values = (await m.data()) as Float32Array;
    tf.dispose([x, m, ...(logVar ? [logVar] : [])]);
    return values;
  });
  const dim = mu.length / n;
  // Each slider spans the codes the encoder actually produces in its dimension (the autoencoder's
  // are not confined to N(0, I)'s few units).
  c.sliders.forEach((sl, i) => {
    let m = 1;
    for (let k = 0; k < n; k++) m = Math.max(m, Math.abs(mu[k * dim + i] ?? 0));
    const r = Math.ceil(m * 120);
    sl.min = String(-r);
    sl.max = String(r);
  });
  c.plane = principalPlane(mu, dim);
  c.points = project(c.plane, mu);
  c.bounds = boundsOf(c.points, 0.08);
  drawMap(c, set.labels);
}

/** Decodes `c.z` into the decoded canvas. */
export async function decodeZ(c: Column): Promise<void> {
  if (!c.z) return;
  const img = await decode(c, c.z, 1);
  blit(c.decoded, grayRgba(img, c.range), 28, 28);
  // Ink in [0, 784]: how much digit the decoding holds (the e2e test checks it changes).
  const [lo, hi] = c.range;
  const ink = img.reduce((s, v) => s + (v - lo) / (hi - lo), 0);
  c.decoded.dataset.ink = ink.toFixed(4);
  c.decoded.dataset.decodes = String(Number(c.decoded.dataset.decodes ?? 0) + 1);
}

export async function decodeClick(c: Column, px: number, py: number): Promise<void> {
  if (!c.plane) return;
  c.click = { x: px, y: py };
  drawMap(c, trainingDigits().labels);
  const { x, y } = toLatent(c.bounds, MAP, MAP, px, py);
  c.z = lift(c.plane, x, y);
  c.sliders.forEach((sl, i) => (sl.value = String(Math.round((c.z?.[i] ?? 0) * 100))));
  await decodeZ(c);
}

/** Decodes pointer positions as fast as decoding allows: only the latest waiting position runs. */
export async function decodeLatest(c: Column, px: number, py: number): Promise<void> {
  c.queued = { x: px, y: py };
  if (c.decoding) return;
  c.decoding = true;
  try {
    while (c.queued) {
      const { x, y } = c.queued;
      c.queued = null;
      await decodeClick(c, x, y);
    }
  } finally {
    c.decoding = false;
  }
}

/** The link's slider edits on top of the point's code (every render: the URL keeps describing the view). */
export async function applyLinkedSliders(c: Column): Promise<void> {
  const raw = readParam('sliders');
  const values = parseSliderValues(raw, SLIDERS, Number(c.sliders[0]?.min), Number(c.sliders[0]?.max));
  if (raw !== null && !values)
    status(`link: sliders "${raw.slice(0, 40)}" are not ${SLIDERS} whole numbers in the sliders' range; ignored`, true);
  if (!values || !c.z) return;
  // Only the sliders the sender moved: an untouched one shows its code rounded to 1/100, and
  // writing that back would decode another digit than the sender saw.
  values.forEach((v, i) => {
    const sl = c.sliders[i];
    if (sl && c.z && sl.value !== String(v)) {
      sl.value = String(v);
      c.z[i] = v / 100;
    }
  });
  await decodeZ(c);
}

/** Decodes SAMPLES codes drawn from the prior with `seed` into the column's sample grid. */
export async function sampleInto(c: Column, seed: number): Promise<void> {
  const model = c.entry?.model;
  if (!model) return;
  const imgs = await exclusive(async () => {
    const s = model.sample(SAMPLES, seed);
    const v = (await s.data()) as Float32Array;
    s.dispose();
    return v;
  });
  c.samples.replaceChildren(
    ...Array.from({ length: SAMPLES }, (_, i) => {
      const cv = canvas(48, 48, { role: 'img', 'aria-label': `sample ${i + 1}: a decoded random code` });
      blit(cv, grayRgba(imgs.subarray(i * 784, (i + 1) * 784), c.range), 28, 28);
      return cv;
    }),
  );
}

/** Reconstructs the drawing (0..1 pixels), or a training example while nothing was drawn. */
export async function reconstructInto(c: Column, drawing: Float32Array | null): Promise<void> {
  const model = c.entry?.model;
  if (!model) return;
  const img = drawing ?? trainingDigits().images.subarray(0, 784);
  const out = await exclusive(async () => {
    const x = tf.tensor2d(codeIn(c, img), [1, 784]);
    const y = model.reconstruct(x);
    const v = (await y.data()) as Float32Array;
    tf.dispose([x, y]);
    return v;
  });
  blit(c.recon, grayRgba(out, c.range), 28, 28);
  const label = c.recon.parentElement?.querySelector('.recon-label');
  if (label) label.textContent = drawing ? 'reconstruction' : 'reconstruction of an example';
}
