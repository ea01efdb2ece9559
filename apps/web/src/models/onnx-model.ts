import * as tf from '@tensorflow/tfjs-core';
import { LogitlabError } from '@logitlab/core';
import { withForwardHook, type Module } from '@logitlab/layers';
import { importOnnx, type GraphModule } from '@logitlab/onnx';
import { registerOnnxLrpLayers } from '@logitlab/onnx/explain';
import { imageInput, type ImageInput } from '../lib/model-input';
import type { Supplied } from './explainer';

/** An imported model the Your model tab cannot feed or explain (not an image classifier). */
export class UnsupportedModelError extends LogitlabError {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedModelError';
  }
}

/** One layer of the imported graph as the tab lists it: its state-dict path, class and output shape (no batch axis). */
export interface LayerRow {
  name: string;
  type: string;
  shape: number[];
}

export interface LoadedModel {
  model: GraphModule;
  input: ImageInput;
  classes: number;
  layers: LayerRow[];
  /** What the methods that need an option get on this model (its last convolution, patches to its size). */
  supplied: Supplied;
}

/**
 * Imports an .onnx file's bytes for the tab: an image classifier ([N, H, W, 1 or 3] in, [N, classes]
 * out), with its layers listed and LRP's rules for graph-only layers registered. A file the importer
 * refuses throws its OnnxImportError; a model of another kind an UnsupportedModelError. Either way
 * nothing is left allocated.
 */
export function loadOnnx(bytes: Uint8Array): LoadedModel {
  const model = importOnnx(bytes);
  try {
    const input = imageInput(model.inputShape);
    if (typeof input === 'string') throw new UnsupportedModelError(input);
    const [classes] = model.outputShape;
    if (model.outputShape.length !== 1 || !classes) {
      throw new UnsupportedModelError(
        `the model's output is [N, ${model.outputShape.join(', ')}]; this tab explains classifiers, whose output is [N, classes]`,
      );
    }
    // Safe to call again: the registry keeps one entry per layer class.
    registerOnnxLrpLayers();
    return { model, input, classes, layers: layerRows(model), supplied: suppliedFor(model, input) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Every leaf layer in the order the graph calls it, with the shape it returned for a blank input. */
function layerRows(model: GraphModule): LayerRow[] {
  const names = new Map<Module, string>(
    model
      .namedModules()
      .filter(([, m]) => m.children().length === 0)
      .map(([n, m]) => [m, n]),
  );
  const rows = new Map<Module, LayerRow>();
  tf.tidy(() => {
    const blank = tf.zeros([1, ...model.inputShape]);
    withForwardHook(
      (m, x, forward) => {
        const y = forward(x);
        const name = names.get(m);
        if (name !== undefined) rows.set(m, { name, type: m.typeName, shape: y.shape.slice(1) });
        return y;
      },
      () => model.call(blank),
    );
  });
  return [...rows.values()];
}

function suppliedFor(model: GraphModule, input: ImageInput): Supplied {
  const convs = model.namedModules().filter(([, m]) => m.typeName === 'Conv2d');
  const last = convs.at(-1)?.[0];
  // about 7 x 7 patches over the image, as Classify's 4 x 4 on 28 x 28
  const side = Math.max(1, Math.round(Math.min(input.height, input.width) / 7));
  return {
    ...(last ? { gradCam: { options: { layer: last }, note: last } } : {}),
    occlusion: { options: { window: [side, side], stride: [side, side] }, note: `${side} x ${side} patches` },
  };
}
