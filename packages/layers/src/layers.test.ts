import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Dropout2d,
  Flatten,
  Linear,
  LogSoftmax,
  MaxPool2d,
  ReLU,
  Sequential,
  ShapeError,
  OptionError,
  Softmax,
  SumPool1d,
  SumPool2d,
  manualSeed,
  randUniform,
  Module,
} from './index';

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

describe('initialisation', () => {
  it('is PyTorch kaiming-uniform bounded and reproducible with manualSeed', () => {
    manualSeed(1);
    const a = new Linear(100, 20);
    manualSeed(1);
    const b = new Linear(100, 20);
    const wa = a.weight.dataSync();
    expect(Array.from(wa)).toEqual(Array.from(b.weight.dataSync()));
    const bound = 1 / Math.sqrt(100);
    expect(Math.max(...wa.map(Math.abs))).toBeLessThanOrEqual(bound);
    // a uniform(-b, b) sample of 2000 reaches close to its bound
    expect(Math.max(...wa.map(Math.abs))).toBeGreaterThan(0.95 * bound);
    expect(Math.max(...a.bias!.dataSync().map(Math.abs))).toBeLessThanOrEqual(bound);
    a.dispose();
    b.dispose();
  });
});

describe('Linear', () => {
  it('computes x W^T + b and exports weight as [out, in]', () => {
    const l = new Linear(3, 2);
    const w = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tf.tensor1d([0.5, -1]);
    l.loadStateDict({ weight: w, bias: b });
    const x = tf.tensor2d([[1, 0, -1]]);
    const y = l.call(x);
    expect(Array.from(y.dataSync())).toEqual([-2 + 0.5, -2 - 1]);
    const sd = l.stateDict();
    expect(sd['weight']!.shape).toEqual([2, 3]);
    tf.dispose([w, b, x, y, ...Object.values(sd)]);
    l.dispose();
  });

  it('trains without an input gradient for a layer on data, with the fused eval-mode values and gradients', async () => {
    const l = new Linear(6, 4);
    const x = tf.randomNormal([5, 6], 0, 1, 'float32', 8);
    const loss = (): tf.Scalar => tf.sum(tf.square(l.call(x)));
    const profile = await tf.profile(() => {
      const r = tf.variableGrads(loss);
      return [r.value, ...Object.values(r.grads)];
    });
    // one GEMM forward and one for the weight gradient: none for x's
    expect(profile.kernels.filter((k) => k.name === 'BatchMatMul' || k.name === '_FusedMatMul')).toHaveLength(2);
    tf.dispose(profile.result as tf.Tensor[]);
    const train = tf.variableGrads(loss, [l.weight, l.bias!]);
    l.eval();
    const fused = tf.variableGrads(loss, [l.weight, l.bias!]);
    expect(train.value.dataSync()[0]).toBeCloseTo(fused.value.dataSync()[0]!, 4);
    for (const v of [l.weight, l.bias!]) {
      const want = fused.grads[v.name]!.dataSync();
      train.grads[v.name]!.dataSync().forEach((g, k) => expect(g).toBeCloseTo(want[k]!, 4));
    }
    tf.dispose([x, train.value, fused.value, ...Object.values(train.grads), ...Object.values(fused.grads)]);
    l.dispose();
  });

  it('rejects a wrong feature count with a ShapeError naming the shape', () => {
    const l = new Linear(3, 2);
    const x = tf.zeros([4, 5]);
    expect(() => l.call(x)).toThrow(ShapeError);
    expect(() => l.call(x)).toThrow(/\[4, 5\]/);
    x.dispose();
    l.dispose();
  });
});

describe('Conv2d and pools', () => {
  it('produces PyTorch output sizes for stride, padding and dilation', () => {
    const x = tf.ones([2, 9, 9, 3]);
    const cases: [Conv2d, number[]][] = [
      [new Conv2d(3, 4, 3), [2, 7, 7, 4]],
      [new Conv2d(3, 4, 3, { padding: 1 }), [2, 9, 9, 4]],
      [new Conv2d(3, 4, 3, { stride: 2, padding: 1 }), [2, 5, 5, 4]],
      [new Conv2d(3, 4, 3, { dilation: 2 }), [2, 5, 5, 4]],
      [new Conv2d(3, 4, 3, { dilation: 2, stride: 2 }), [2, 3, 3, 4]],
      [new Conv2d(3, 4, 4, { padding: 'same' }), [2, 9, 9, 4]],
    ];
    for (const [conv, shape] of cases) {
      const y = conv.call(x);
      expect(y.shape).toEqual(shape);
      y.dispose();
      conv.dispose();
    }
    x.dispose();
  });

  it('computes no input gradient for a conv on data, and the same output and gradients as the fused conv', async () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1 });
    const x = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 3);
    const loss = (): tf.Scalar => tf.sum(tf.square(conv.call(x)));
    const profile = await tf.profile(() => {
      const r = tf.variableGrads(loss);
      return [r.value, ...Object.values(r.grads)];
    });
    expect(profile.kernelNames).toContain('Conv2DBackpropFilter');
    expect(profile.kernelNames).not.toContain('Conv2DBackpropInput');
    tf.dispose(profile.result as tf.Tensor[]);
    // the recorded path (conv2d + add) gives the fused kernel's loss and gradients
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ];
    const { value, grads } = tf.variableGrads(loss, [conv.weight, conv.bias!]);
    const fusedLoss = (w: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      tf.sum(tf.square(tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad, bias: b })));
    const expected = tf.grads(fusedLoss)([conv.weight, conv.bias!]);
    const expectedLoss = tf.tidy(() => fusedLoss(conv.weight, conv.bias!));
    expect(value.dataSync()[0]).toBeCloseTo(expectedLoss.dataSync()[0]!, 3);
    [grads[conv.weight.name]!, grads[conv.bias!.name]!].forEach((g, i) => {
      const want = expected[i]!.dataSync();
      g.dataSync().forEach((v, k) => expect(v).toBeCloseTo(want[k]!, 3));
    });
    tf.dispose([x, value, expectedLoss, ...Object.values(grads), ...expected]);
    conv.dispose();
  });

  it('convolve is the convolution without the bias', () => {
    const conv = new Conv2d(2, 3, 3, { stride: 2, padding: 1 });
    const x = tf.randomNormal([2, 7, 7, 2], 0, 1, 'float32', 4);
    const y = conv.call(x);
    const z = tf.tidy(() => tf.add(conv.convolve(x), conv.bias!));
    expect(z.shape).toEqual(y.shape);
    z.dataSync().forEach((v, i) => expect(v).toBeCloseTo(y.dataSync()[i]!, 5));
    tf.dispose([x, y, z]);
    conv.dispose();
  });

  it('refuses same padding with stride, as PyTorch does', () => {
    expect(() => new Conv2d(1, 1, 3, { stride: 2, padding: 'same' })).toThrow(OptionError);
  });

  it('max-pool padding never wins and avg-pool counts padded zeros', () => {
    const x = tf.tensor4d([-5, -5, -5, -5], [1, 2, 2, 1]);
    const mp = new MaxPool2d(2, { stride: 1, padding: 1 }).call(x);
    expect(Array.from(mp.dataSync())).toEqual(Array(9).fill(-5));
    const ap = new AvgPool2d(2, { stride: 1, padding: 1 }).call(x);
    expect(ap.dataSync()[0]).toBeCloseTo(-5 / 4);
    const ap2 = new AvgPool2d(2, { stride: 1, padding: 1, countIncludePad: false }).call(x);
    expect(ap2.dataSync()[0]).toBeCloseTo(-5);
    tf.dispose([x, mp, ap, ap2]);
  });

  it('sum-pools groups of consecutive features', () => {
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7, 8]]);
    const y = new SumPool1d(4).call(x);
    expect(Array.from(y.dataSync())).toEqual([10, 26]);
    const img = tf.tidy(() => tf.reshape(tf.range(0, 16), [1, 4, 4, 1]));
    const z = new SumPool2d(2).call(img);
    expect(Array.from(z.dataSync())).toEqual([0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15]);
    expect(() => new SumPool1d(3).call(x)).toThrow(ShapeError);
    tf.dispose([x, y, img, z]);
  });
});

describe('Flatten', () => {
  it('flattens NHWC in PyTorch channel-major order by default', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]); // channel 0: 1 3 5 7
    const y = new Flatten().call(x);
    expect(Array.from(y.dataSync())).toEqual([1, 3, 5, 7, 2, 4, 6, 8]);
    const z = new Flatten({ order: 'hwc' }).call(x);
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    tf.dispose([x, y, z]);
  });
});

describe('Dropout', () => {
  it('scales kept units by 1/(1-p) in train mode and is the identity in eval', () => {
    manualSeed(3);
    const d = new Dropout(0.25);
    const x = tf.ones([200, 50]);
    const y = d.call(x);
    const vals = y.dataSync();
    const kept = vals.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(kept.length / vals.length).toBeGreaterThan(0.72);
    expect(kept.length / vals.length).toBeLessThan(0.78);
    // expectation preserved
    expect(Array.from(vals).reduce((a, b) => a + b, 0) / vals.length).toBeCloseTo(1, 1);
    d.eval();
    const e = d.call(x);
    expect(Array.from(e.dataSync()).every((v) => v === 1)).toBe(true);
    tf.dispose([x, y, e]);
  });

  it('same seed, same mask', () => {
    const x = tf.ones([10, 10]);
    manualSeed(9);
    const a = new Dropout(0.5).call(x);
    manualSeed(9);
    const b = new Dropout(0.5).call(x);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('keeps the masks it drew before the one-pass mask: uniform draws >= p, scaled by 1/(1-p) in float32', () => {
    for (const p of [0.2, 0.5, 1 / 3]) {
      const x = tf.randomNormal([40, 30], 0, 1, 'float32', 5);
      manualSeed(11);
      const drawn = randUniform([40, 30]);
      const reference = tf.tidy(() => tf.mul(x, tf.mul(tf.cast(tf.greaterEqual(drawn, p), 'float32'), 1 / (1 - p))));
      manualSeed(11);
      const now = new Dropout(p).call(x);
      expect(Array.from(now.dataSync())).toEqual(Array.from(reference.dataSync()));
      tf.dispose([x, drawn, reference, now]);
    }
  });

  it('Dropout2d drops whole channels', () => {
    manualSeed(4);
    const x = tf.ones([8, 3, 3, 16]);
    const y = new Dropout2d(0.5).call(x);
    const v = y.arraySync() as number[][][][];
    let zeroed = 0;
    for (const sample of v) {
      for (let c = 0; c < 16; c++) {
        const vals = sample.flat().map((px) => px[c]);
        expect(new Set(vals).size).toBe(1);
        if (vals[0] === 0) zeroed++;
        else expect(vals[0]).toBe(2);
      }
    }
    expect(zeroed).toBeGreaterThan(30);
    expect(zeroed).toBeLessThan(98);
    tf.dispose([x, y]);
  });
});

describe('BatchNorm', () => {
  it('updates running stats in forward, uses them in eval, and rejects one value per channel', () => {
    const bn = new BatchNorm1d(2);
    const x = tf.tensor2d([
      [1, 10],
      [3, 30],
    ]);
    const y = bn.call(x);
    // normalised with the biased variance: +-1 / sqrt(1 + eps)
    expect(y.dataSync()[0]).toBeCloseTo(-1 / Math.sqrt(1 + 1e-5), 5);
    expect(Array.from(bn.runningMean!.dataSync()).map((v) => +v.toFixed(5))).toEqual([0.2, 2]);
    // unbiased variance of [1,3] is 2, of [10,30] is 200
    expect(Array.from(bn.runningVar!.dataSync()).map((v) => +v.toFixed(4))).toEqual([0.9 + 0.2, 0.9 + 20]);
    expect(bn.numBatchesTracked!.dataSync()[0]).toBe(1);
    const one = tf.tensor2d([[1, 2]]);
    expect(() => bn.call(one)).toThrow('Expected more than 1 value per channel when training, got input size [1, 2]');
    bn.eval();
    const e = bn.call(one);
    expect(e.dataSync()[0]).toBeCloseTo((1 - 0.2) / Math.sqrt(1.1 + 1e-5), 5);
    tf.dispose([x, y, one, e]);
    bn.dispose();
  });

  it('trains under optimizer.minimize without leaking and without the optimizer touching buffers', () => {
    manualSeed(0);
    const model = new Sequential(
      new Conv2d(1, 2, 3, { padding: 1 }),
      new BatchNorm2d(2),
      new ReLU(),
      new Flatten(),
      new Linear(2 * 4 * 4, 3),
      new LogSoftmax(),
    );
    const x = tf.randomNormal([4, 4, 4, 1], 0, 1, 'float32', 1);
    const opt = tf.train.sgd(0.1);
    const start = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const cost = opt.minimize(() => tf.neg(tf.mean(model.call(x))) as tf.Scalar, true, model.parameters());
      cost?.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
    const bn = model.at(1) as BatchNorm2d;
    expect(bn.numBatchesTracked!.dataSync()[0]).toBe(3);
    expect(model.parameters().includes(bn.runningMean!)).toBe(false);
    opt.dispose();
    x.dispose();
    model.dispose();
  });
});

describe('Sequential', () => {
  it('tolerates modules that return their input and frees every intermediate', () => {
    class PassThrough extends Module {
      forward(x: tf.Tensor): tf.Tensor {
        return x;
      }
    }
    const s = new Sequential(new Linear(2, 2), new PassThrough(), new ReLU(), new PassThrough());
    const x = tf.ones([1, 2]);
    const y = s.call(x);
    expect(y.isDisposed).toBe(false);
    expect(y.shape).toEqual([1, 2]);
    const z = new Sequential(new PassThrough()).call(x);
    expect(z).not.toBe(x);
    tf.dispose([x, y, z]);
    s.dispose();
  });

  it('names children 0,1,... or by the given names', () => {
    const s = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    const n = new Sequential({ fc: new Linear(2, 1), out: new Softmax() });
    const sd = n.stateDict();
    expect(Object.keys(sd)).toEqual(['fc.weight', 'fc.bias']);
    tf.dispose(Object.values(sd));
    const sd2 = s.stateDict();
    expect(Object.keys(sd2)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    tf.dispose(Object.values(sd2));
    s.dispose();
    n.dispose();
  });
});

describe('BatchNorm options', () => {
  it('affine: false and trackRunningStats: false drop their state-dict entries; without running stats eval uses the batch', () => {
    const bn = new BatchNorm2d(3, { affine: false, trackRunningStats: false });
    const sd = bn.stateDict();
    expect(Object.keys(sd)).toEqual([]);
    bn.eval();
    const x = tf.tensor4d([1, 2, 3, 3, 4, 5], [2, 1, 1, 3]);
    const y = bn.call(x);
    expect(y.dataSync()[0]).toBeCloseTo(-1, 3);
    expect(bn.runningMean).toBeNull();
    tf.dispose([x, y]);
    bn.dispose();
    const full = new BatchNorm1d(2);
    const keys = full.stateDict();
    expect(Object.keys(keys)).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(keys['num_batches_tracked']!.shape).toEqual([]);
    tf.dispose(Object.values(keys));
    full.dispose();
  });

  it('rejects bad options and channels-first input', () => {
    expect(() => new BatchNorm1d(2, { momentum: 2 })).toThrow(OptionError);
    const bn = new BatchNorm2d(3);
    const nchw = tf.zeros([2, 3, 4, 4]);
    expect(() => bn.call(nchw)).toThrow(/expects channels-last input \[_, _, _, 3\], got \[2, 3, 4, 4\]/);
    nchw.dispose();
    bn.dispose();
  });
});

describe('Linear on higher-rank input', () => {
  it('applies to the last axis', () => {
    const l = new Linear(3, 2);
    const x = tf.ones([2, 4, 3]);
    const y = l.call(x);
    expect(y.shape).toEqual([2, 4, 2]);
    tf.dispose([x, y]);
    l.dispose();
  });
});
