import * as tf from '@tensorflow/tfjs-core';
import type { LatentModel } from '@logitlab/models';
import { exclusive, on, status } from '../app';
import { grayRgba } from '../lib/heatmap';
import { boundsOf, lift, principalPlane, project, toLatent, toPixel, type Bounds, type Plane } from '../lib/latent';
import { digitColor } from '../lib/palette';
import { normalizeLikeMnist, toRange } from '../lib/preprocess';
import { LATENT_RANGE, latentRange } from '../models/coding';
import { trainingDigits } from '../models/data';
import { BETAS, type Beta, type ModelId, RECIPES } from '../models/recipes';
import { decodePixels, encodePixels } from '../lib/pixels-codec';
import { weightInfo } from '../models/weights';
import { getModel, type ZooEntry } from '../models/zoo';
import { readParam, writeParams } from '../state/url';
import { parseSliderValues } from '../lib/slider-values';
import { blit, DrawCanvas } from '../ui/draw-canvas';
import { canvas, h } from '../ui/dom';
import type { Page } from './page';
import { Coalescer, markRendered } from './render-state';

const MAP = 300;
const MAP_POINTS = 600;
const SAMPLES = 8;
/** Latent dimensions with a slider each (the code has 30). */
const SLIDERS = 4;

/** Which VAE the first column shows: the seed's linear one (beta chosen) or the hidden-layer sigmoid one. */
type VaeKind = 'linear' | 'mlp';

/** One model's column: reconstruction, prior samples, latent map, decoded click. */
interface Column {
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

function column(kind: 'vae' | 'ae'): { el: HTMLElement; col: Column } {
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

const codeIn = (c: Column, pixels: Float32Array): Float32Array => toRange(pixels, c.range);

function drawMap(c: Column, labels: Int32Array): void {
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
async function mapLatents(c: Column): Promise<void> {
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
async function decodeZ(c: Column): Promise<void> {
  if (!c.z) return;
  const img = await decode(c, c.z, 1);
  blit(c.decoded, grayRgba(img, c.range), 28, 28);
  // Ink in [0, 784]: how much digit the decoding holds (the e2e test checks it changes).
  const [lo, hi] = c.range;
  const ink = img.reduce((s, v) => s + (v - lo) / (hi - lo), 0);
  c.decoded.dataset.ink = ink.toFixed(4);
  c.decoded.dataset.decodes = String(Number(c.decoded.dataset.decodes ?? 0) + 1);
}

async function decodeClick(c: Column, px: number, py: number): Promise<void> {
  if (!c.plane) return;
  c.click = { x: px, y: py };
  drawMap(c, trainingDigits().labels);
  const { x, y } = toLatent(c.bounds, MAP, MAP, px, py);
  c.z = lift(c.plane, x, y);
  c.sliders.forEach((sl, i) => (sl.value = String(Math.round((c.z?.[i] ?? 0) * 100))));
  await decodeZ(c);
}

/** Decodes pointer positions as fast as decoding allows: only the latest waiting position runs. */
async function decodeLatest(c: Column, px: number, py: number): Promise<void> {
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
async function applyLinkedSliders(c: Column): Promise<void> {
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

export function createPage(root: HTMLElement): Page {
  const pad = h('div', { class: 'card pad-card' });
  pad.append(h('h3', {}, 'Draw a digit to reconstruct'));
  const draw = new DrawCanvas(pad, {
    width: 28,
    height: 28,
    scale: 8,
    pen: 2.4,
    label: 'digit drawing pad: what you draw is reconstructed by both models',
  });
  const wantBeta = Number(readParam('beta'));
  const initialBeta = (BETAS as readonly number[]).includes(wantBeta) ? wantBeta : 1;
  const betaSelect = h(
    'select',
    { id: 'beta-select', 'aria-label': 'VAE beta' },
    ...BETAS.map((b) => h('option', { value: b, selected: b === initialBeta }, `β = ${b}`)),
  );
  // The seed's linear 784-30 VAE (tanh, MSE) shows the beta trade-off; its prior samples are mostly
  // grey. The hidden-layer sigmoid VAE (recipe vae-mlp) is the one whose samples read as digits, so
  // the page opens on it. A link that names a beta but no VAE predates that default: it meant the linear one.
  const wantKind = readParam('vae');
  const initialKind: VaeKind = wantKind === 'linear' || (wantKind === null && readParam('beta') !== null) ? 'linear' : 'mlp';
  const vaeSelect = h(
    'select',
    { id: 'vae-model', 'aria-label': 'VAE model' },
    h('option', { value: 'linear', selected: initialKind === 'linear' }, 'linear 784-30 (seed)'),
    h('option', { value: 'mlp', selected: initialKind === 'mlp' }, 'hidden layer 784-128-20'),
  );
  const resample = h('button', { class: 'btn', id: 'resample' }, 'New samples');
  const clear = h('button', { class: 'btn' }, 'Clear');
  pad.append(
    h('div', { class: 'toolbar' }, clear, resample),
    h('div', { class: 'toolbar' }, h('label', { for: 'vae-model' }, 'VAE:'), vaeSelect),
    h('div', { class: 'toolbar' }, h('label', { for: 'beta-select' }, 'VAE weight of KL:'), betaSelect),
  );
  const legend = h(
    'div',
    { class: 'legend' },
    ...Array.from({ length: 10 }, (_, d) => {
      const s = h('span', {}, String(d));
      s.style.setProperty('--c', digitColor(d));
      return s;
    }),
  );
  pad.append(h('p', { class: 'sub spaced' }, 'map colours:'), legend);

  const vae = column('vae');
  const ae = column('ae');
  root.append(
    h('h2', {}, 'Generate: VAE vs autoencoder'),
    h(
      'p',
      { class: 'lead' },
      'Both squeeze a digit through a few numbers (30 in the linear models, 20 in the hidden-layer VAE) and decode it back. Only the VAE is trained to make its codes look like N(0, I), so only the VAE can generate: larger β trades sharper reconstructions for a smoother map, and a hidden layer makes its samples read as digits.',
    ),
    h('div', { class: 'gen-grid' }, pad, vae.el, ae.el),
  );

  // The prior samples' seed is part of the view a link reproduces.
  const wantSeed = Number(readParam('seed'));
  let seed = Number.isSafeInteger(wantSeed) && wantSeed > 0 ? wantSeed : 1;
  let drawn = false;
  const beta = (): Beta => Number(betaSelect.value) as Beta;
  const kind = (): VaeKind => (vaeSelect.value === 'mlp' ? 'mlp' : 'linear');
  const vaeId = (): ModelId => (kind() === 'mlp' ? 'vae-mlp' : (`vae-${beta()}` as ModelId));
  // The hidden-layer VAE is trained with beta 1 only.
  const syncBeta = (): void => {
    betaSelect.disabled = kind() === 'mlp';
  };
  syncBeta();

  async function load(): Promise<void> {
    const id = vaeId();
    const [v, a] = await Promise.all([getModel<LatentModel>(id), getModel<LatentModel>('autoencoder')]);
    vae.col.entry = v;
    vae.col.range = latentRange(RECIPES[id].data === 'pixels' ? 'pixels' : 'latent');
    ae.col.entry = a;
    vae.col.title.textContent = kind() === 'mlp' ? 'VAE 784-128-20, sigmoid' : `VAE, β = ${beta()}`;
    vae.col.title.dataset.model = id;
    const info = await weightInfo(id);
    const share = info?.metrics['priorSamplesDigitLike'];
    const digits = /mnist/i.test(info?.data ?? '') ? 'MNIST' : 'synthetic';
    vae.col.quality.textContent =
      v.source === 'pretrained' && share !== undefined
        ? `${Math.round(share * 100)}% of 100 prior samples are closer to a held-out ${digits} digit than to flat grey (measured by make-weights)`
        : '';
    const point = (readParam('z') ?? '').split(',').map(Number);
    for (const c of [vae.col, ae.col]) {
      await mapLatents(c);
      // A shared link's point, else the centre of the map: something to look at before the first click.
      const fromLink = c === vae.col && point.length === 2 && point.every((p) => Number.isFinite(p) && p >= 0 && p <= 1);
      c.click ??= fromLink ? { x: (point[0] ?? 0.5) * MAP, y: (point[1] ?? 0.5) * MAP } : { x: MAP / 2, y: MAP / 2 };
    }
  }

  async function samples(c: Column): Promise<void> {
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

  async function reconstruct(c: Column): Promise<void> {
    const model = c.entry?.model;
    if (!model) return;
    const img = drawn ? normalizeLikeMnist(draw.read()).data : trainingDigits().images.subarray(0, 784);
    const out = await exclusive(async () => {
      const x = tf.tensor2d(codeIn(c, img), [1, 784]);
      const y = model.reconstruct(x);
      const v = (await y.data()) as Float32Array;
      tf.dispose([x, y]);
      return v;
    });
    blit(c.recon, grayRgba(out, c.range), 28, 28);
    const label = c.recon.parentElement?.querySelector('.recon-label');
    if (label) label.textContent = drawn ? 'reconstruction' : 'reconstruction of an example';
  }

  const run = new Coalescer(async () => {
    for (const c of [vae.col, ae.col]) {
      if (!c.entry) continue;
      c.badge.textContent = c.entry.source;
      c.badge.className = `badge ${c.entry.source.split(' ')[0]}`;
      await reconstruct(c);
      await samples(c);
      if (c.click) await decodeClick(c, c.click.x, c.click.y);
      if (c === vae.col) await applyLinkedSliders(c);
    }
    markRendered(root);
  }, root);

  for (const c of [vae.col, ae.col]) {
    const at = (e: PointerEvent | MouseEvent): { x: number; y: number } => {
      const r = c.map.getBoundingClientRect();
      return { x: ((e.clientX - r.left) / r.width) * MAP, y: ((e.clientY - r.top) / r.height) * MAP };
    };
    // The point asked for, not c.click: while a decode runs, a new point only queues, and c.click is
    // still an earlier one.
    const remember = (p: { x: number; y: number }): void => {
      // A new point starts from its own code: earlier slider edits no longer apply.
      if (c === vae.col) writeParams({ z: `${(p.x / MAP).toFixed(3)},${(p.y / MAP).toFixed(3)}`, sliders: null });
    };
    c.map.style.touchAction = 'none';
    // Hover and drag decode continuously; a click (or lifting the finger) keeps the point in the URL.
    c.map.addEventListener('pointermove', (e) => {
      const p = at(e);
      void decodeLatest(c, p.x, p.y);
    });
    c.map.addEventListener('pointerdown', (e) => {
      const p = at(e);
      void decodeLatest(c, p.x, p.y);
    });
    // a drag (a finger's above all, which makes no click) ends where the pointer is lifted: that point is the view
    c.map.addEventListener('pointerup', (e) => {
      const p = at(e);
      remember(p);
      void decodeLatest(c, p.x, p.y);
    });
    c.map.addEventListener('click', (e) => {
      const p = at(e);
      remember(p);
      void decodeLatest(c, p.x, p.y);
    });
    c.map.addEventListener('keydown', (e) => {
      const step = MAP / 30;
      const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
      if (!d) return;
      e.preventDefault();
      const from = c.click ?? { x: MAP / 2, y: MAP / 2 };
      const x = Math.max(0, Math.min(MAP, from.x + (d[0] ?? 0)));
      const y = Math.max(0, Math.min(MAP, from.y + (d[1] ?? 0)));
      remember({ x, y });
      void decodeLatest(c, x, y);
    });
    c.sliders.forEach((sl, i) =>
      sl.addEventListener('input', () => {
        if (!c.z) return;
        c.z[i] = Number(sl.value) / 100;
        void decodeZ(c);
      }),
    );
    // The VAE's slider edits are part of the view a link reproduces (written when a slider is let go).
    if (c === vae.col)
      for (const sl of c.sliders) sl.addEventListener('change', () => writeParams({ sliders: c.sliders.map((s) => s.value).join(',') }));
  }
  draw.onChange(() => {
    drawn = true;
    const px = draw.read().data;
    writeParams({ 'draw-generate': px.some((v) => v > 0.02) ? encodePixels(px) : null });
    void run.request();
  });
  clear.addEventListener('click', () => draw.clear());
  resample.addEventListener('click', () => {
    seed++;
    writeParams({ seed: String(seed) });
    void run.request();
  });
  betaSelect.addEventListener('change', () => {
    writeParams({ beta: betaSelect.value });
    void load().then(() => run.request());
  });
  vaeSelect.addEventListener('change', () => {
    writeParams({ vae: kind() });
    syncBeta();
    void load().then(() => run.request());
  });
  on('weights', (id) => {
    if (id.startsWith('vae-') || id === 'autoencoder') void load().then(() => run.request());
  });

  let loaded: Promise<void> | null = null;
  return {
    async show() {
      loaded ??= load().then(() => {
        const shared = readParam('draw-generate');
        const pixels = shared ? decodePixels(shared, 784) : null;
        if (pixels) draw.paint(pixels);
      });
      await loaded;
      await run.request();
      root.dataset.state = 'ready';
    },
    refresh: () => run.request(),
  };
}
