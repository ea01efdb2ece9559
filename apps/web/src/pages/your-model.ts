import * as tf from '@tensorflow/tfjs-core';
import { exclusive } from '../app';
import { maxAbs } from '../lib/heatmap';
import { argmax } from '../lib/heads';
import { perPixel, rgbaToInput } from '../lib/model-input';
import { explainOutput, type ExplainedOutput } from '../models/explainer';
import { loadOnnx, type LoadedModel } from '../models/onnx-model';
import { conservationLine } from '../models/sum-rule';
import { ClassBars } from '../ui/class-bars';
import { blit, DrawCanvas } from '../ui/draw-canvas';
import { canvas, fmt, h } from '../ui/dom';
import { FileDrop } from '../ui/file-drop';
import { HeatmapView } from '../ui/heatmap-view';
import { layerTable } from '../ui/layer-list';
import { PredictionStrip } from '../ui/prediction-strip';
import { ExplainControls } from './explain-controls';
import type { Page } from './page';
import { Coalescer, markRendered } from './render-state';

/** The heatmap's side on screen, whatever the model's input size. */
const HEATMAP_PX = 224;

/**
 * Your model: an .onnx file dropped here is imported in the page (never uploaded), listed layer by
 * layer, fed a drawing or a dropped image resized to its input, and explained per class with every
 * registered method and composite, as Classify explains the zoo's convnet.
 */
export function createPage(root: HTMLElement): Page {
  const error = h('p', { class: 'error-line', id: 'model-error', role: 'alert' });
  const summary = h('p', { class: 'muted', id: 'model-summary' }, 'No model yet.');
  const layers = h('div', { class: 'layer-scroll', id: 'model-layers' });
  const modelDrop = new FileDrop({ id: 'model-file', accept: '.onnx', label: 'Your .onnx file' }, (f) => void openModel(f));
  const modelCard = h('div', { class: 'card', id: 'model-card' }, h('h3', {}, 'The model'), modelDrop.el, error, summary, layers);
  modelDrop.attach(modelCard);

  const padCard = h('div', { class: 'card pad-card', id: 'model-input', hidden: true }, h('h3', {}, 'Draw or drop an image'));
  const draw = new DrawCanvas(padCard, { width: 28, height: 28, scale: 10, pen: 2.4, label: "drawing pad for your model's input" });
  const imageDrop = new FileDrop({ id: 'model-image', accept: 'image/*', label: 'Or an image' }, (f) => void openImage(f));
  imageDrop.attach(padCard);
  const preview = canvas(84, 84, { class: 'preview', id: 'model-preview', role: 'img', 'aria-label': 'what the model sees' });
  const clear = h('button', { class: 'btn', type: 'button', id: 'model-clear' }, 'Clear');
  padCard.append(imageDrop.el, h('div', { class: 'toolbar' }, clear, h('span', { class: 'muted' }, 'model input:'), preview));

  const bars = new ClassBars('model-bars', (cls) => {
    target = cls;
    void run.request();
  });
  const unpin = h('button', { class: 'btn', type: 'button', id: 'model-unpin', hidden: true }, 'Unpin: explain the prediction');
  const predCard = h('div', { class: 'card', id: 'model-predictions', hidden: true }, h('h3', {}, 'Outputs'), unpin, bars.el);
  const controls = new ExplainControls('model');
  const why = h('h3', { id: 'model-why' }, 'Why?');
  const caption = h('p', { class: 'muted', id: 'model-caption' }, '');
  const explainError = h('p', { class: 'error-line', id: 'model-explain-error' });
  let heatmap = new HeatmapView({ id: 'model-heatmap', width: 28, height: 28, scale: 8 });
  const explainCard = h(
    'div',
    { class: 'card explain-card', id: 'model-explain', hidden: true },
    why,
    controls.el,
    heatmap.el,
    caption,
    explainError,
  );
  const strip = new PredictionStrip('model-strip', () => explainCard.scrollIntoView({ block: 'start' }));
  strip.el.hidden = true;
  root.append(
    h('h2', {}, 'Your model: explain a network of your own'),
    h(
      'p',
      { class: 'lead' },
      'Drop a PyTorch model exported to ONNX (torch.onnx.export with training=PRESERVE and do_constant_folding=False). The file is read here, in your browser: it is never uploaded. Pixels go in as values in [0, 1], without normalisation.',
    ),
    h('div', { class: 'model-top' }, modelCard, padCard, strip.el, predCard, explainCard),
  );

  let loaded: LoadedModel | null = null;
  let target: number | null = null;

  async function openModel(file: File): Promise<void> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      const next = await exclusive(() => loadOnnx(bytes));
      loaded?.model.dispose();
      loaded = next;
    } catch (e) {
      // one line, the typed error's own message; the model shown before (if any) stays in use
      error.textContent = `${file.name}: ${(e as Error).message}`;
      error.dataset.type = (e as Error).name;
      return;
    }
    error.textContent = '';
    delete error.dataset.type;
    target = null;
    const { model, input, classes } = loaded;
    root.dataset.model = file.name;
    summary.textContent = `${file.name}: ${model.producer || 'unknown exporter'}, opset ${model.opset}; input [N, ${input.height}, ${input.width}, ${input.channels}] (NHWC), ${classes} outputs, ${model.parameters().reduce((n, p) => n + p.size, 0)} parameters.`;
    layers.replaceChildren(layerTable(loaded.layers));
    controls.setMethods(loaded.supplied);
    const scale = Math.max(1, Math.floor(HEATMAP_PX / Math.max(input.height, input.width)));
    const next = new HeatmapView({ id: 'model-heatmap', width: input.width, height: input.height, scale });
    heatmap.el.replaceWith(next.el);
    heatmap = next;
    for (const el of [padCard, predCard, explainCard, strip.el]) el.hidden = false;
    await run.request();
  }

  async function openImage(file: File): Promise<void> {
    try {
      draw.drawImage(await createImageBitmap(file));
    } catch (e) {
      error.textContent = `${file.name}: not an image the browser can read (${(e as Error).message})`;
      error.dataset.type = (e as Error).name;
    }
  }

  /** The pad resized to the model's input by the browser's smoothing, as RGBA bytes. */
  function readInput({ width, height }: { width: number; height: number }): Uint8ClampedArray {
    const small = canvas(width, height);
    const ctx = small.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('2d canvas context unavailable');
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(draw.canvas, 0, 0, width, height);
    return ctx.getImageData(0, 0, width, height).data;
  }

  const run = new Coalescer(async () => {
    if (!loaded) return;
    const { model, input, supplied } = loaded;
    const rgba = readInput(input);
    blit(preview, rgba, input.width, input.height);
    const values = rgbaToInput(rgba, input);
    const { method, composite } = controls.value();
    const { outputs, shown, rel } = await exclusive(async () => {
      const x = tf.tensor4d(values, [1, input.height, input.width, input.channels]);
      try {
        const y = model.call(x);
        const out = Array.from(await y.data());
        y.dispose();
        const cls = target ?? argmax(out);
        // A model LRP has no rule for (a depthwise convolution) still gets its predictions and the other methods.
        const r = await explainOutput(model, x, { method, target: cls, baseline: 0, bounds: [0, 1], composite }, supplied).catch(
          (e: unknown) => e as Error,
        );
        return { outputs: out, shown: cls, rel: r };
      } finally {
        x.dispose();
      }
    });
    bars.set(outputs, shown, target !== null);
    unpin.hidden = target === null;
    const name = controls.label();
    why.textContent = `Why ${shown}? ${name}${target === null ? ' (top prediction)' : ' (pinned)'}`;
    explainError.textContent = rel instanceof Error ? `${name}: ${rel.message}` : '';
    if (!(rel instanceof Error)) showMap(rel, values, shown, name);
    Object.assign(explainCard.dataset, { target: String(shown), method, pinned: String(target !== null) });
    markRendered(root);
  }, root);

  function showMap(rel: ExplainedOutput, values: Float32Array, shown: number, name: string): void {
    const { input } = loaded!;
    const map = perPixel(rel.relevance, input.channels, 'sum');
    const label = `relevance of each pixel for output ${shown}, by ${name}; colour scale ±${fmt(maxAbs(map), 3)}`;
    heatmap.set(perPixel(values, input.channels, 'mean'), map, [0, 1], label);
    caption.textContent = `${name}: ${conservationLine(controls.value().method, rel.total, rel.should)}.`;
    strip.set(String(shown), `why ${shown}${target === null ? '' : ' (pinned)'}`, heatmap.canvas, `heatmap thumbnail: ${label}`, false);
  }

  draw.onChange(() => {
    target = null;
    void run.request();
  });
  clear.addEventListener('click', () => draw.clear());
  unpin.addEventListener('click', () => {
    target = null;
    void run.request();
  });
  controls.onChange(() => void run.request());

  return {
    async show() {
      root.dataset.state = 'ready';
      await run.request();
    },
    refresh: () => run.request(),
  };
}
