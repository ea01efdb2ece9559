import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { crossEntropy, gaussianKl, mseLoss, nllLoss } from '@logitlab/losses';
import { BnMlp, MnistConvNet, SumPoolExplainer, Vae } from '@logitlab/models';

/**
 * The four bench workloads. Shapes, losses and optimizer match bench/torch_bench.py exactly, so the
 * logitlab / PyTorch ratio compares the same work.
 */
export interface Workload {
  name: string;
  batch: number;
  /** SGD learning rate (as bench/torch_bench.py's LR table). */
  lr: number;
  model: Module;
  x: tf.Tensor;
  y: tf.Tensor;
  loss: (model: Module, x: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  /** Multiply-add FLOPs (x2) per sample of the convolutions and matmuls; see `WORKLOAD_FLOPS`. */
  flops: WorkloadFlops;
  dispose(): void;
}

export interface WorkloadFlops {
  inferPerSample: number;
  trainPerSample: number;
}

const dense = (i: number, o: number): number => 2 * i * o;
const conv = (oh: number, ow: number, ci: number, co: number, k: number): number => 2 * oh * ow * ci * co * k * k;

/**
 * Work per sample counted from the layer shapes (GEMM and convolution FLOPs only; elementwise ops are
 * ignored): inference = forward; training = forward + weight gradients (same cost as forward) + input
 * gradients of every layer but one fed by the data (PyTorch skips those, and so do our layers).
 * Used only to print the GFLOP/s each side achieves next to the machine's sgemm roofline.
 */
export function workloadFlops(layers: { cost: number; dataInput: boolean }[]): WorkloadFlops {
  const fwd = layers.reduce((a, l) => a + l.cost, 0);
  const inputGrads = layers.filter((l) => !l.dataInput).reduce((a, l) => a + l.cost, 0);
  return { inferPerSample: fwd, trainPerSample: 2 * fwd + inputGrads };
}

export const WORKLOAD_FLOPS: Record<string, WorkloadFlops> = {
  convnet: workloadFlops([
    { cost: conv(24, 24, 1, 10, 5), dataInput: true },
    { cost: conv(8, 8, 10, 20, 5), dataInput: false },
    { cost: dense(320, 50), dataInput: false },
    { cost: dense(50, 10), dataInput: false },
  ]),
  'sumpool-mlp': workloadFlops([
    { cost: dense(1568, 400), dataInput: true },
    { cost: dense(100, 400), dataInput: false },
  ]),
  // mu and logVar both read the data; the decoder reads the sampled latent
  vae: workloadFlops([
    { cost: 2 * dense(784, 30), dataInput: true },
    { cost: dense(30, 784), dataInput: false },
  ]),
  // the first Linear reads BatchNorm's output, whose affine parameters need its input gradient
  'bn-mlp': workloadFlops([
    { cost: dense(784, 256), dataInput: false },
    { cost: dense(256, 128), dataInput: false },
    { cost: dense(128, 10), dataInput: false },
  ]),
};

/** Deterministic uniform [0, 1) values without touching the global generator the models use. */
function uniform(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

function labels(n: number, classes: number, seed: number): tf.Tensor1D {
  return tf.tensor1d(
    Array.from(uniform(n, seed), (u) => Math.floor(u * classes)),
    'int32',
  );
}

// small where a summed / 100-scaled loss would otherwise diverge into a dead network
const LR: Record<string, number> = { convnet: 0.01, 'sumpool-mlp': 1e-4, vae: 1e-4, 'bn-mlp': 0.01 };

function make(name: string, batch: number, model: Module, x: tf.Tensor, y: tf.Tensor, loss: Workload['loss']): Workload {
  return {
    name,
    batch,
    lr: LR[name] ?? 0.01,
    flops: WORKLOAD_FLOPS[name] ?? { inferPerSample: 0, trainPerSample: 0 },
    model,
    x,
    y,
    loss,
    dispose() {
      model.dispose();
      tf.dispose([x, y]);
    },
  };
}

export function buildWorkload(name: string): Workload {
  switch (name) {
    case 'convnet': {
      const b = 64;
      const x = tf.tensor4d(
        uniform(b * 784, 1).map((u) => u * 2 - 1),
        [b, 28, 28, 1],
      );
      return make(
        name,
        b,
        new MnistConvNet({ head: 'logSoftmax' }),
        x,
        labels(b, 10, 2),
        (m, xx, yy) => nllLoss(m.call(xx), yy, { validate: false }) as tf.Scalar,
      );
    }
    case 'sumpool-mlp': {
      const b = 64;
      const x = tf.tensor2d(
        uniform(b * 1568, 3).map((u) => u * 2 - 0.5),
        [b, 1568],
      );
      const y = tf.tensor2d(
        Array.from(uniform(b, 4), (u) => (u > 0.5 ? 100 : 0)),
        [b, 1],
      );
      return make(name, b, new SumPoolExplainer(), x, y, (m, xx, yy) => mseLoss(m.call(xx), yy) as tf.Scalar);
    }
    case 'vae': {
      const b = 128;
      const x = tf.tensor2d(
        uniform(b * 784, 5).map((u) => u * 2 - 1),
        [b, 784],
      );
      const vae = new Vae({ input: 784, latent: 30, decoderActivation: 'tanh' });
      return make(name, b, vae, x, x.clone(), (m, xx) => {
        const out = (m as Vae).forwardWithLatent(xx);
        const logVar = out.logVar ?? tf.zerosLike(out.mu);
        // MSE(sum) + KL(sum): the seed's VAE objective (one reduction for both terms)
        return tf.add(mseLoss(out.reconstruction, xx, { reduction: 'sum' }), gaussianKl(out.mu, logVar, { reduction: 'sum' })) as tf.Scalar;
      });
    }
    case 'bn-mlp': {
      const b = 64;
      const x = tf.tensor2d(
        uniform(b * 784, 6).map((u) => u * 2 - 1),
        [b, 784],
      );
      return make(
        name,
        b,
        new BnMlp({ sizes: [784, 256, 128, 10], dropout: 0.2 }),
        x,
        labels(b, 10, 7),
        (m, xx, yy) => crossEntropy(m.call(xx), yy, { validate: false }) as tf.Scalar,
      );
    }
    default:
      throw new RangeError(`unknown workload '${name}'`);
  }
}
