import * as tf from '@tensorflow/tfjs-core';
import {
  Dropout,
  MaxPool2d,
  Module,
  StateDictError,
  loadSafetensors,
  manualSeed,
  moduleToSafetensors,
  loadSafetensorsInto,
} from '@logitlab/layers';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelInputError, ModelOptionsError, UnknownModelError } from './errors';
import { modelFactory, modelNames, type ModelName } from './factory';
import { Autoencoder, BnMlp, MnistConvNet, MultiLabelHead, SumPoolExplainer, UNetSmall, Vae } from './index';

/** One input batch per registered model (small: the cpu backend is slow on convs). */
const inputs: Record<ModelName, () => tf.Tensor> = {
  convnet: () => tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 1),
  'bn-mlp': () => tf.randomUniform([4, 784], 0, 1, 'float32', 2),
  sumpool: () => tf.randomUniform([3, 28, 56, 1], -0.5, 1.5, 'float32', 3),
  vae: () => tf.randomUniform([3, 784], -1, 1, 'float32', 4),
  autoencoder: () => tf.randomUniform([3, 784], -1, 1, 'float32', 5),
  unet: () => tf.randomUniform([1, 28, 56, 1], 0, 1, 'float32', 6),
  multilabel: () => tf.randomUniform([3, 28, 56, 1], 0, 1, 'float32', 7),
};

const outputShapes: Record<ModelName, number[]> = {
  convnet: [2, 10],
  'bn-mlp': [4, 10],
  sumpool: [3, 1],
  vae: [3, 784],
  autoencoder: [3, 784],
  unet: [1, 28, 56, 11],
  multilabel: [3, 10],
};

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('every model', () => {
  for (const name of modelNames) {
    it(`${name}: output shape, no leaks, safetensors round trip into a differently seeded twin`, () => {
      const x = inputs[name]();
      const start = tf.memory().numTensors;
      manualSeed(10);
      const model = modelFactory(name).eval();
      const afterBuild = tf.memory().numTensors;
      // a training-mode forward and backward leak nothing (and may move BatchNorm statistics)
      model.train();
      const params = model.parameters();
      const { grads, value } = tf.variableGrads(() => tf.mean(tf.square(model.call(x))) as tf.Scalar, params);
      expect(Object.keys(grads)).toHaveLength(params.length);
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(afterBuild);
      model.eval();
      const y = model.call(x);
      expect(y.shape).toEqual(outputShapes[name]);
      expect(tf.memory().numTensors).toBe(afterBuild + 1);

      const bytes = moduleToSafetensors(model);
      manualSeed(99);
      const twin = modelFactory(name).eval();
      const y0 = twin.call(x);
      expect(maxAbsDiff(y0, y)).toBeGreaterThan(1e-6); // the twin really starts elsewhere
      loadSafetensorsInto(twin, bytes);
      const y1 = twin.call(x);
      expect(maxAbsDiff(y1, y)).toBe(0);
      // the decoded dict carries every key in PyTorch layout
      const { tensors } = loadSafetensors(bytes);
      const sd = model.stateDict();
      expect(new Set(Object.keys(tensors))).toEqual(new Set(Object.keys(sd)));
      for (const [k, t] of Object.entries(sd)) expect(tensors[k]?.shape).toEqual(t.shape);
      tf.dispose([y, y0, y1, ...Object.values(tensors), ...Object.values(sd)]);
      model.dispose();
      twin.dispose();
      expect(tf.memory().numTensors).toBe(start);
      x.dispose();
    });
  }
});

describe('modelFactory', () => {
  it('builds each model class by name and passes options through', () => {
    const built = [
      modelFactory('convnet', { head: 'logits' }),
      modelFactory('bn-mlp', { sizes: [784, 32, 10] }),
      modelFactory('sumpool'),
      modelFactory('vae', { latent: 2 }),
      modelFactory('autoencoder', { latent: 2 }),
      modelFactory('unet', { classes: 3, width: 4 }),
      modelFactory('multilabel', { hidden: [16] }),
    ];
    expect(built.map((m) => m.constructor.name)).toEqual([
      'MnistConvNet',
      'BnMlp',
      'SumPoolExplainer',
      'Vae',
      'Autoencoder',
      'UNetSmall',
      'MultiLabelHead',
    ]);
    expect((built[0] as MnistConvNet).head).toBe('logits');
    expect((built[3] as Vae).options.latent).toBe(2);
    for (const m of built) expect(m).toBeInstanceOf(Module);
    built.forEach((m) => m.dispose());
  });

  it('names the unknown model and the known ones', () => {
    let err: unknown;
    try {
      modelFactory('resnet50');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownModelError);
    expect((err as UnknownModelError).known).toEqual(modelNames);
    expect((err as Error).message).toMatch(/Unknown model 'resnet50': expected one of 'convnet', 'bn-mlp', 'sumpool'/);
  });
});

describe('MnistConvNet', () => {
  it('has the PyTorch example state-dict keys and shapes', () => {
    const net = new MnistConvNet();
    const sd = net.stateDict();
    expect(Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.shape]))).toEqual({
      'conv1.weight': [10, 1, 5, 5],
      'conv1.bias': [10],
      'conv2.weight': [20, 10, 5, 5],
      'conv2.bias': [20],
      'fc1.weight': [50, 320],
      'fc1.bias': [50],
      'fc2.weight': [10, 50],
      'fc2.bias': [10],
    });
    tf.dispose(Object.values(sd));
    net.dispose();
  });

  it('loads a PyTorch checkpoint as is and reproduces its outputs (fc1 sees the C,H,W flatten order)', () => {
    const bytes = readFileSync(new URL('./fixtures/convnet-torch.safetensors', import.meta.url));
    const { tensors } = loadSafetensors(new Uint8Array(bytes));
    const { __input__: input, __output__: expected, ...state } = tensors;
    const net = new MnistConvNet({ head: 'logSoftmax' }).eval();
    net.loadStateDict(state);
    const x = tf.transpose(input!, [0, 2, 3, 1]); // NCHW -> NHWC
    const y = net.call(x);
    expect(maxAbsDiff(y, expected!)).toBeLessThan(1e-4);
    // the permutation matters: the same weights with fc1's columns in H,W,C order would disagree
    const hwc = tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(state['fc1.weight']!, [50, 20, 4, 4]), [0, 2, 3, 1]), [50, 320]));
    net.loadStateDict({ ...state, 'fc1.weight': hwc });
    const wrong = net.call(x);
    expect(maxAbsDiff(wrong, expected!)).toBeGreaterThan(1e-3);
    tf.dispose([x, y, hwc, wrong, ...Object.values(tensors)]);
    net.dispose();
  });

  it('train mode: bias and Dropout2d applied after the pool give the layer-by-layer (PyTorch order) loss and gradients', () => {
    manualSeed(5);
    const net = new MnistConvNet({ head: 'logSoftmax' }).train();
    const pool = new MaxPool2d(2);
    const drop = new Dropout(0.5);
    const x = tf.randomUniform([4, 28, 28, 1], -1, 1, 'float32', 9);
    const weights = tf.randomNormal([4, 10], 0, 1, 'float32', 10);
    // PyTorch's forward, one layer after the other (conv with its bias -> dropout2d -> pool -> relu)
    const reference = () => {
      let h = tf.relu(pool.call(net.conv1.call(x)));
      h = tf.relu(pool.call(net.conv2_drop.call(net.conv2.call(h))));
      const flat = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [4, 320]);
      return tf.logSoftmax(net.fc2.call(drop.call(tf.relu(net.fc1.call(flat)))));
    };
    const run = (f: () => tf.Tensor) => {
      manualSeed(11); // the same dropout masks for both
      return tf.variableGrads(() => tf.sum(tf.mul(f(), weights)), net.parameters());
    };
    const ours = run(() => net.call(x));
    const want = run(reference);
    expect(Math.abs(ours.value.dataSync()[0]! - want.value.dataSync()[0]!)).toBeLessThan(1e-5);
    for (const [name, g] of Object.entries(want.grads)) {
      expect(maxAbsDiff(ours.grads[name]!, g), name).toBeLessThan(1e-5);
    }
    tf.dispose([x, weights, ours.value, want.value, ...Object.values(ours.grads), ...Object.values(want.grads)]);
    net.dispose();
  });

  it('heads agree with each other on the same weights', () => {
    manualSeed(3);
    const logits = new MnistConvNet({ head: 'logits' }).eval();
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 8);
    const sd = logits.stateDict();
    const outs = (['logits', 'logSoftmax', 'softmax', 'sigmoid'] as const).map((head) => {
      const m = new MnistConvNet({ head }).eval();
      m.loadStateDict(sd);
      const y = m.call(x);
      m.dispose();
      return y;
    });
    const [z, ls, sm, sg] = outs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    expect(maxAbsDiff(tf.logSoftmax(z), ls)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tf.softmax(z), sm)).toBeLessThan(1e-6);
    expect(maxAbsDiff(tf.sigmoid(z), sg)).toBeLessThan(1e-6);
    tf.dispose([x, ...outs, ...Object.values(sd)]);
    logits.dispose();
  });

  it('rejects unknown heads and wrong input shapes', () => {
    expect(() => new MnistConvNet({ head: 'tanh' as never })).toThrow(ModelOptionsError);
    const net = new MnistConvNet();
    const bad = tf.zeros([2, 28, 28, 3]);
    expect(() => net.call(bad)).toThrow(ModelInputError);
    expect(() => net.call(bad)).toThrow(/expects images \[N, 28, 28, 1\] \(NHWC\), got \[2, 28, 28, 3\]/);
    bad.dispose();
    net.dispose();
  });
});

describe('BnMlp', () => {
  it('is BatchNorm -> Dropout -> Linear blocks with ReLU between, with BN buffers in the state dict', () => {
    const m = new BnMlp({ sizes: [784, 64, 32, 10], dropout: 0.3 });
    const sd = m.stateDict();
    const shapes = Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.shape]));
    expect(shapes['net.0.weight']).toEqual([784]);
    expect(shapes['net.0.running_mean']).toEqual([784]);
    expect(shapes['net.2.weight']).toEqual([64, 784]);
    expect(shapes['net.4.running_var']).toEqual([64]);
    expect(shapes['net.6.weight']).toEqual([32, 64]);
    expect(shapes['net.10.weight']).toEqual([10, 32]);
    expect(m.net.length).toBe(11); // 3 blocks of 3 + 2 ReLUs
    tf.dispose(Object.values(sd));
    m.dispose();
  });

  it('rejects bad sizes', () => {
    expect(() => new BnMlp({ sizes: [784] })).toThrow(/at least two positive integers/);
    expect(() => new BnMlp({ sizes: [784, 0, 10] })).toThrow(ModelOptionsError);
  });
});

describe('SumPoolExplainer', () => {
  it('takes [N,28,56,1] and [N,1568] alike and starts with zero biases', () => {
    const m = new SumPoolExplainer();
    const x = tf.randomUniform([2, 28, 56, 1], -0.5, 1.5, 'float32', 4);
    const flat = tf.reshape(x, [2, 1568]);
    const [a, b] = [m.call(x), m.call(flat)];
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(tf.max(tf.abs(m.fc1.bias!)).dataSync()[0]).toBe(0);
    tf.dispose([x, flat, a, b]);
    m.dispose();
  });

  it('projectBiases clamps detection biases to <= 0 and leaves the rest alone; off when nonPositiveBias is false', () => {
    const m = new SumPoolExplainer();
    const off = new SumPoolExplainer({ nonPositiveBias: false });
    for (const net of [m, off]) {
      tf.tidy(() => {
        const b = tf.concat([tf.neg(tf.ones([200])), tf.ones([200])]);
        net.fc1.bias!.assign(b);
        net.fc2.bias!.assign(b);
      });
    }
    const w = tf.clone(m.fc1.weight);
    const before = tf.memory().numTensors;
    m.projectBiases();
    off.projectBiases();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.max(m.fc1.bias!).dataSync()[0]).toBe(0);
    expect(tf.max(m.fc2.bias!).dataSync()[0]).toBe(0);
    expect(tf.min(m.fc2.bias!).dataSync()[0]).toBe(-1);
    expect(tf.max(off.fc1.bias!).dataSync()[0]).toBe(1);
    expect(maxAbsDiff(w, m.fc1.weight)).toBe(0);
    w.dispose();
    m.dispose();
    off.dispose();
  });
});

describe('Vae and Autoencoder', () => {
  it('Vae: noise in train mode (seeded by manualSeed), mu in eval mode, reconstruction in the input shape', () => {
    manualSeed(5);
    const vae = new Vae({ latent: 4, hidden: 16 });
    const x = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 3);
    manualSeed(1);
    const a = vae.forwardWithLatent(x);
    manualSeed(1);
    const b = vae.forwardWithLatent(x);
    const c = vae.forwardWithLatent(x);
    expect(a.reconstruction.shape).toEqual([2, 28, 28, 1]);
    expect(a.mu.shape).toEqual([2, 4]);
    expect(a.logVar?.shape).toEqual([2, 4]);
    expect(maxAbsDiff(a.z, b.z)).toBe(0);
    expect(maxAbsDiff(a.z, c.z)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(a.z, a.mu)).toBeGreaterThan(1e-3);
    vae.eval();
    const e = vae.forwardWithLatent(x);
    const r = vae.reconstruct(x);
    expect(maxAbsDiff(e.z, e.mu)).toBe(0);
    expect(maxAbsDiff(e.reconstruction, r)).toBe(0);
    // tanh decoder
    expect(tf.max(tf.abs(r)).dataSync()[0]).toBeLessThanOrEqual(1);
    const sd = vae.stateDict();
    expect(new Set(Object.keys(sd))).toEqual(
      new Set([
        'decoder.0.bias',
        'decoder.0.weight',
        'decoder.2.bias',
        'decoder.2.weight',
        'encoder.0.bias',
        'encoder.0.weight',
        'log_var.bias',
        'log_var.weight',
        'mu.bias',
        'mu.weight',
      ]),
    );
    for (const o of [a, b, c, e]) tf.dispose([o.reconstruction, o.mu, o.z, o.logVar!]);
    tf.dispose([x, r, ...Object.values(sd)]);
    vae.dispose();
  });

  it('sample(n, seed) is reproducible, in the decoder range, and leaves the global stream alone', () => {
    const vae = new Vae({ latent: 3, decoderActivation: 'sigmoid' });
    manualSeed(7);
    const s1 = vae.sample(5, 42);
    const s2 = vae.sample(5, 42);
    const s3 = vae.sample(5, 43);
    expect(s1.shape).toEqual([5, 784]);
    expect(maxAbsDiff(s1, s2)).toBe(0);
    expect(maxAbsDiff(s1, s3)).toBeGreaterThan(1e-4);
    expect(tf.min(s1).dataSync()[0]).toBeGreaterThanOrEqual(0);
    const afterSeeded = vae.sample(2);
    manualSeed(7);
    const fresh = vae.sample(2);
    expect(maxAbsDiff(afterSeeded, fresh)).toBe(0);
    const z = tf.zeros([1, 3]);
    const d = vae.decode(z);
    expect(d.shape).toEqual([1, 784]);
    tf.dispose([s1, s2, s3, afterSeeded, fresh, z, d]);
    expect(() => vae.sample(0)).toThrow(ModelOptionsError);
    vae.dispose();
  });

  it('Autoencoder shares the API and is deterministic in both modes', () => {
    const ae = new Autoencoder({ latent: 5 });
    const x = tf.randomUniform([3, 784], -1, 1, 'float32', 9);
    const { mu, logVar } = ae.encode(x);
    expect(mu.shape).toEqual([3, 5]);
    expect(logVar).toBeNull();
    const y1 = ae.call(x);
    ae.eval();
    const y2 = ae.call(x);
    const r = ae.reconstruct(x);
    expect(maxAbsDiff(y1, y2)).toBe(0);
    expect(maxAbsDiff(y1, r)).toBe(0);
    const s = ae.sample(2, 1);
    expect(s.shape).toEqual([2, 784]);
    tf.dispose([x, mu, y1, y2, r, s]);
    expect(() => new Autoencoder({ latent: 0 })).toThrow(/latent must be a positive integer, got 0/);
    expect(() => new Vae({ decoderActivation: 'relu' as never })).toThrow(ModelOptionsError);
    ae.dispose();
  });
});

describe('UNetSmall and MultiLabelHead', () => {
  it('UNetSmall outputs per-pixel logits (unbounded, not probabilities) and every parameter gets a gradient', () => {
    manualSeed(2);
    const net = new UNetSmall({ classes: 3, width: 4 });
    const x = tf.randomUniform([2, 28, 56, 1], 0, 1, 'float32', 1);
    const y = net.call(x);
    expect(y.shape).toEqual([2, 28, 56, 3]);
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(net.call(x))) as tf.Scalar, net.parameters());
    for (const [k, g] of Object.entries(grads)) expect(tf.max(tf.abs(g)).dataSync()[0], k).toBeGreaterThan(0);
    tf.dispose([x, y, value, ...Object.values(grads)]);
    expect(() => new UNetSmall({ height: 30 })).toThrow(/divisible by 4/);
    net.dispose();
  });

  it('MultiLabelHead is an MLP of logits with PyTorch keys', () => {
    const m = new MultiLabelHead({ hidden: [32, 16] });
    const sd = m.stateDict();
    expect(Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.shape]))).toEqual({
      'net.0.weight': [32, 1568],
      'net.0.bias': [32],
      'net.3.weight': [16, 32],
      'net.3.bias': [16],
      'net.6.weight': [10, 16],
      'net.6.bias': [10],
    });
    tf.dispose(Object.values(sd));
    expect(() => m.loadStateDict({})).toThrow(StateDictError);
    m.dispose();
  });
});
