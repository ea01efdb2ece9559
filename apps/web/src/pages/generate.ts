import type { LatentModel } from '@logitlab/models';
import { on } from '../app';
import { decodePixels, encodePixels } from '../lib/pixels-codec';
import { normalizeLikeMnist } from '../lib/preprocess';
import { latentRange } from '../models/coding';
import { BETAS, type Beta, type ModelId, RECIPES } from '../models/recipes';
import { getModel } from '../models/zoo';
import { linkSelect } from '../state/linked-select';
import { readParam, writeParams } from '../state/url';
import { DrawCanvas } from '../ui/draw-canvas';
import { h } from '../ui/dom';
import { column, MAP, mapLegend, sampleQuality } from './generate-column';
import { applyLinkedSliders, decodeClick, mapLatents, reconstructInto, sampleInto } from './generate-decode';
import { wireColumn } from './generate-pointer';
import type { Page } from './page';
import { Coalescer, markRendered } from './render-state';

/** Which VAE the first column shows: the seed's linear one (beta chosen) or the hidden-layer sigmoid one. */
type VaeKind = 'linear' | 'mlp';

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
  const betaSelect = h(
    'select',
    { id: 'beta-select', 'aria-label': 'VAE beta' },
    ...BETAS.map((b) => h('option', { value: b, selected: b === 1 }, `β = ${b}`)),
  );
  // The seed's linear 784-30 VAE (tanh, MSE) shows the beta trade-off; its prior samples are mostly
  // grey. The hidden-layer sigmoid VAE (recipe vae-mlp) is the one whose samples read as digits, so
  // the page opens on it. A link that names a beta but no VAE predates that default: it meant the linear one.
  const initialKind: VaeKind = readParam('vae') === null && readParam('beta') !== null ? 'linear' : 'mlp';
  const vaeSelect = h(
    'select',
    { id: 'vae-model', 'aria-label': 'VAE model' },
    h('option', { value: 'linear', selected: initialKind === 'linear' }, 'linear 784-30 (seed)'),
    h('option', { value: 'mlp', selected: initialKind === 'mlp' }, 'hidden layer 784-128-20'),
  );
  linkSelect(betaSelect, 'beta');
  linkSelect(vaeSelect, 'vae');
  const resample = h('button', { class: 'btn', id: 'resample' }, 'New samples');
  const clear = h('button', { class: 'btn' }, 'Clear');
  pad.append(
    h('div', { class: 'toolbar' }, clear, resample),
    h('div', { class: 'toolbar' }, h('label', { for: 'vae-model' }, 'VAE:'), vaeSelect),
    h('div', { class: 'toolbar' }, h('label', { for: 'beta-select' }, 'VAE weight of KL:'), betaSelect),
    h('p', { class: 'sub spaced' }, 'map colours:'),
    mapLegend(),
  );

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
    vae.col.quality.textContent = await sampleQuality(id, v);
    const point = (readParam('z') ?? '').split(',').map(Number);
    for (const c of [vae.col, ae.col]) {
      await mapLatents(c);
      // A shared link's point, else the centre of the map: something to look at before the first click.
      const fromLink = c === vae.col && point.length === 2 && point.every((p) => Number.isFinite(p) && p >= 0 && p <= 1);
      c.click ??= fromLink ? { x: (point[0] ?? 0.5) * MAP, y: (point[1] ?? 0.5) * MAP } : { x: MAP / 2, y: MAP / 2 };
    }
  }

  const run = new Coalescer(async () => {
    for (const c of [vae.col, ae.col]) {
      if (!c.entry) continue;
      c.badge.textContent = c.entry.source;
      c.badge.className = `badge ${c.entry.source.split(' ')[0]}`;
      await reconstructInto(c, drawn ? normalizeLikeMnist(draw.read()).data : null);
      await sampleInto(c, seed);
      if (c.click) await decodeClick(c, c.click.x, c.click.y);
      if (c === vae.col) await applyLinkedSliders(c);
    }
    markRendered(root);
  }, root);

  wireColumn(vae.col, true);
  wireColumn(ae.col, false);
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
  const reload = (): void => void load().then(() => run.request());
  betaSelect.addEventListener('change', reload);
  vaeSelect.addEventListener('change', () => {
    syncBeta();
    reload();
  });
  on('weights', (id) => {
    if (id.startsWith('vae-') || id === 'autoencoder') reload();
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
