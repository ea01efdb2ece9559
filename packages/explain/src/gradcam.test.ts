import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, MaxPool2d, manualSeed } from '@logitlab/layers';
import { MnistConvNet } from '@logitlab/models';
import { describe, expect, it } from 'vitest';
import { ExplainOptionsError } from './errors';
import { explain } from './explain';
import { cellGeometry, cellResampler } from './gradcam';

const row = (m: Float32Array, y: number): number[] => Array.from(m.subarray(y * 28, y * 28 + 28));

describe('Grad-CAM receptive-field geometry', () => {
  it('follows conv and pool layers in call order (the MNIST example net: conv2 cells at 6.5 + 2i)', () => {
    const c1 = new Conv2d(1, 2, 5);
    const pool = new MaxPool2d(2);
    const c2 = new Conv2d(2, 2, 5);
    expect(cellGeometry([c1, pool, c2])).toEqual({ start: [6.5, 6.5], jump: [2, 2] });
    // padding keeps a conv's cells where its input's were; other modules are skipped
    const same = new Conv2d(1, 1, 3, { padding: 1 });
    expect(cellGeometry([same, { notALayer: true }, pool])).toEqual({ start: [0.5, 0.5], jump: [2, 2] });
    tf.dispose([...c1.parameters(), ...c2.parameters(), ...same.parameters()]);
  });

  it('resamples cells onto pixels linearly between centres and clamped outside them', () => {
    // 3 cells at 1, 3, 5 onto 7 pixels
    const r = cellResampler(7, 3, 1, 2);
    const weights = (p: number): number[] => Array.from(r.subarray(p * 3, p * 3 + 3));
    expect(weights(0)).toEqual([1, 0, 0]);
    expect(weights(1)).toEqual([1, 0, 0]);
    expect(weights(2)).toEqual([0.5, 0.5, 0]);
    expect(weights(5)).toEqual([0, 0, 1]);
    expect(weights(6)).toEqual([0, 0, 1]);
  });

  it("on the MNIST example net, keeps the border unpadded convolutions lose: rows 0-6 take the first cells' values", () => {
    manualSeed(3);
    const net = new MnistConvNet({ head: 'logits' });
    const x = tf.tidy(() => tf.randomUniform([1, 28, 28, 1], 0, 3, 'float32', 5)) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const map = (upsample: 'bilinear' | 'receptiveField'): Float32Array => {
      const { relevance } = explain(net, x, { method: 'gradCam', layer: 'conv2', target: 0, upsample });
      const v = relevance.dataSync() as Float32Array;
      relevance.dispose();
      return v;
    };
    const geometric = map('receptiveField');
    const stretched = map('bilinear');
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.max(...geometric)).toBeGreaterThan(0);
    // cells sit at 6.5 + 2i: every row above 6.5 is clamped to the first row of cells, and so is every column left of 6.5
    for (let y = 0; y < 7; y++) expect(row(geometric, y)).toEqual(row(geometric, 0));
    for (let y = 0; y < 28; y++) for (let c = 0; c < 7; c++) expect(geometric[y * 28 + c]).toBe(geometric[y * 28]);
    // the stretched map moves within that border (cells at 1.25 + 3.5i)
    expect(row(stretched, 0)).not.toEqual(row(stretched, 5));
    expect(() => explain(net, x, { method: 'gradCam', layer: 'conv2', upsample: 'nearest' as never })).toThrow(ExplainOptionsError);
    expect(() => explain(net, x, { method: 'gradCam', layer: 'conv2', upsample: 'nearest' as never })).toThrow(/'nearest'/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });
});
