// Issue 20's matrix over models: vae-mlp (its recipe's loss and forward) and the BatchNorm + dropout MLP,
// compiled vs eager after 100 steps on each backend. The U-Net has its own file (unet.test.ts); the
// four bench workloads run the same comparison in apps/trainer/src/bench/compiled.slow.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy } from '@logitlab/losses';
import { BnMlp, type Vae } from '@logitlab/models';
import { fitOptionsOf, recipe } from '@logitlab/recipes';
import { type AnyCase, describeMatrix, matrixCase, randomLoader } from './harness';

const vaeMlp = recipe('vae-mlp');

const MODEL_CASES: AnyCase[] = [
  matrixCase({
    name: 'vae-mlp (reparameterised draws, BCE + KL), Adam',
    model: () => vaeMlp.hidden?.create([16]) as Vae,
    data: () => randomLoader(8, [784], [], 1, 4, 32),
    epochs: 50,
    optimizer: () => tf.train.adam(0.001),
    options: fitOptionsOf(vaeMlp),
  }),
  matrixCase({
    name: 'BatchNorm + dropout MLP, SGD + momentum',
    model: () => new BnMlp({ sizes: [6, 12, 3], dropout: 0.2 }),
    data: () => randomLoader(40, [6], [], 3, 4, 33),
    epochs: 10,
    optimizer: () => tf.train.momentum(0.05, 0.9),
    options: { loss: crossEntropy },
  }),
];

describeMatrix('models, 100 steps', MODEL_CASES);
