// The seed convnet (conv 1->10 k5, maxpool 2, relu, conv 10->20 k5, maxpool 2, relu, dense 320->50 relu,
// dense 50->10) trains on wasm and on native with the same gradients as on cpu.
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
  return onBackend(backend, () => {
    const net = makeConvnet();
    const { value, grads } = tf.variableGrads(net.loss);
    const out = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, g.dataSync() as Float32Array]));
    const loss = value.dataSync()[0]!;
    tf.dispose([value, ...Object.values(grads)]);
    net.dispose();
    return { loss, grads: out, names: Object.keys(net.params) };
  });
}

const BACKENDS: TrainedBackend[] = ['wasm', 'native'];
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
      losses.push(l.dataSync()[0]!);
      l.dispose();
    }
    expect(losses[4]).toBeLessThan(losses[0]! * 0.95);
    // sgd keeps one scalar (its iteration count)
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(1);
    expect(tf.engine().backend.numDataIds() - dataBefore).toBeLessThanOrEqual(1);
    opt.dispose();
    net.dispose();
  });
});
