import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { OnnxImportError } from '@logitlab/onnx';
import { describe, expect, it } from 'vitest';
import { loadOnnx, UnsupportedModelError } from './onnx-model';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../../../packages/onnx/src/fixtures/${name}.onnx`, import.meta.url)));

describe('loadOnnx (the Your model tab)', () => {
  it("lists the convnet's leaf layers in call order with their output shapes, and supplies its last conv to Grad-CAM", () => {
    const before = tf.memory().numTensors;
    const { model, input, classes, layers, supplied } = loadOnnx(fixture('convnet'));
    expect(input).toEqual({ height: 28, width: 28, channels: 1 });
    expect(classes).toBe(10);
    expect(layers.map((l) => l.name)).toEqual([
      'conv1',
      'maxpool',
      'relu',
      'conv2',
      'maxpool_1',
      'relu_1',
      'fc1',
      'relu_2',
      'fc2',
      'logsoftmax',
    ]);
    expect(layers[0]).toEqual({ name: 'conv1', type: 'Conv2d', shape: [24, 24, 4] });
    expect(layers.at(-1)?.shape).toEqual([10]);
    expect(supplied.gradCam?.options).toEqual({ layer: 'conv2' });
    expect(supplied.occlusion?.options).toEqual({ window: [4, 4], stride: [4, 4] });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes a 3-channel model (the ResNet) at its own input size', () => {
    const { model, input, layers } = loadOnnx(fixture('resnet'));
    expect(input).toEqual({ height: 32, width: 32, channels: 3 });
    expect(layers.find((l) => l.name === 'layer1.0.conv1')?.type).toBe('Conv2d');
    model.dispose();
  });

  it('refuses a model that is no classifier (the U-Net outputs an image), naming its output, and frees it', () => {
    const before = tf.memory().numTensors;
    expect(() => loadOnnx(fixture('unet'))).toThrow(UnsupportedModelError);
    expect(() => loadOnnx(fixture('unet'))).toThrow("the model's output is [N, 16, 16, 3]; this tab explains classifiers");
    expect(tf.memory().numTensors).toBe(before);
  });

  it("passes a truncated file's OnnxImportError on, leaking nothing", () => {
    const before = tf.memory().numTensors;
    expect(() => loadOnnx(fixture('convnet').subarray(0, 100))).toThrow(OnnxImportError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
