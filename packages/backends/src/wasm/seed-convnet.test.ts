// The seed convnet (conv 1->10 k5, maxpool 2, relu, conv 10->20 k5, maxpool 2, relu, dense 320->50 relu,
// dense 50->10) trains on wasm, native and webgpu with the same gradients and losses as on cpu.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index';
import { type TrainedBackend, onBackend, relativeError, untestableReason } from '../../test/kernel-test-util';

const B = 8;

// tidy frees the initial random tensor; the variable keeps its own reference to the data
function v(shape: number[], seed: number, std: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, std, 'float32', seed)));
}

// conv k5 -> maxpool 2 -> relu
function convBlock(h: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.relu(tf.maxPool(tf.conv2d(h as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid').add(b) as tf.Tensor4D, 2, 2, 'valid'));
}

function makeConvnet() {
  const params = {
    w1: v([5, 5, 1, 10], 1, 0.2),
    b1: v([10], 2, 0.1),
    w2: v([5, 5, 10, 20], 3, 0.06),
    b2: v([20], 4, 0.1),
    w3: v([320, 50], 5, 0.05),
    b3: v([50], 6, 0.1),
    w4: v([50, 10], 7, 0.1),
    b4: v([10], 8, 0.1),
  };
  const x = tf.randomUniform([B, 28, 28, 1], 0, 1, 'float32', 9);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10));
  const loss = () => {
    const p = params;
    const h = convBlock(convBlock(x, p.w1, p.b1), p.w2, p.b2);
    const flat = tf.relu(tf.matMul(h.reshape([B, 320]), p.w3).add(p.b3));
    return tf.losses.softmaxCrossEntropy(y, tf.matMul(flat, p.w4).add(p.b4)) as tf.Scalar;
  };
  const dispose = () => tf.dispose([...Object.values(params), x, y]);
  return { params, loss, dispose };
}

async function gradientsOn(backend: 'cpu' | TrainedBackend) {
  return onBackend(backend, async () => {
    const net = makeConvnet();
    const { value, grads } = tf.variableGrads(net.loss);
    const read = await Promise.all(
      Object.entries(grads).map(async ([name, g]): Promise<[string, Float32Array]> => [name, (await g.data()) as Float32Array]),
    );
    const out = Object.fromEntries(read);
    const loss = (await value.data())[0]!;
    tf.dispose([value, ...Object.values(grads)]);
    net.dispose();
    return { loss, grads: out, names: Object.keys(net.params) };
  });
}

// `steps` SGD steps from the same start; the loss of each, read asynchronously
async function lossCurveOn(backend: 'cpu' | TrainedBackend, steps: number): Promise<number[]> {
  return onBackend(backend, async () => {
    const net = makeConvnet();
    const opt = tf.train.sgd(0.1);
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) {
      const l = opt.minimize(net.loss, true)!;
      losses.push((await l.data())[0]!);
      l.dispose();
    }
    opt.dispose();
    net.dispose();
    return losses;
  });
}

// cpu's curve is the slow part (~1 s a step on 2 busy cores): computed once for every backend
let cpuCurve: Promise<number[]> | undefined;
const cpuLossCurve = () => (cpuCurve ??= lossCurveOn('cpu', 20));

const BACKENDS: TrainedBackend[] = ['wasm', 'native', 'webgpu'];
const skip: Partial<Record<TrainedBackend, string>> = {};
for (const b of BACKENDS) skip[b] = await untestableReason(b);

describe.each(BACKENDS)('seed convnet on %s', (backend) => {
  if (skip[backend]) {
    it.skip(`${backend}: ${skip[backend]}`, () => undefined);
    return;
  }
  beforeAll(async () => {
    await useBackend(backend, { threads: 1 });
  });

  it('has the same loss and gradients as on cpu', async () => {
    const cpu = await gradientsOn('cpu');
    const wasm = await gradientsOn(backend);
    expect(Math.abs(wasm.loss - cpu.loss) / cpu.loss).toBeLessThan(1e-5);
    const cpuGrads = Object.values(cpu.grads);
    const wasmGrads = Object.values(wasm.grads);
    expect(wasmGrads).toHaveLength(8);
    cpuGrads.forEach((expected, i) => {
      expect(relativeError(wasmGrads[i]!, expected), `gradient of ${cpu.names[i]}`).toBeLessThan(1e-4);
    });
  });

  it('trains: 5 SGD steps lower the loss, without leaking tensors', async () => {
    await onBackend(backend, () => undefined);
    const net = makeConvnet();
    const opt = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const l = opt.minimize(net.loss, true)!;
      losses.push((await l.data())[0]!);
      l.dispose();
    }
    expect(losses[4]).toBeLessThan(losses[0]! * 0.95);
    // sgd keeps one scalar (its iteration count)
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(1);
    expect(tf.engine().backend.numDataIds() - dataBefore).toBeLessThanOrEqual(1);
    opt.dispose();
    net.dispose();
  });

  // float32 sums in another order drift apart step by step; 20 steps stay within 1e-4 of cpu's losses
  it("20 SGD steps give cpu's losses (relative 1e-4)", { timeout: 300_000 }, async () => {
    const cpu = await cpuLossCurve();
    const mine = await lossCurveOn(backend, 20);
    expect(mine).toHaveLength(20);
    mine.forEach((l, i) => expect(Math.abs(l - cpu[i]!) / cpu[i]!, `step ${i}: ${l} vs cpu ${cpu[i]}`).toBeLessThan(1e-4));
  });
});
