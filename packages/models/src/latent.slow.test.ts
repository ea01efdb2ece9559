import * as tf from '@tensorflow/tfjs-core';
import { syntheticDigits } from '@logitlab/datasets';
import { manualSeed } from '@logitlab/layers';
import { mseLoss, vaeLoss } from '@logitlab/losses';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from './autoencoder';
import { Vae } from './vae';
import { batches, trainEpoch } from './test-support';

// Digits coded in [-1, 1] for the tanh decoder (the seed's VAE setup: latent 30, MSE reconstruction).
const code = (images: Float32Array) => images.map((v) => v * 2 - 1);
const train = code(syntheticDigits({ count: 2000, seed: 1 }).images);
const held = code(syntheticDigits({ count: 300, seed: 2 }).images);

describe('latent models on the cpu backend', () => {
  it('Vae: the loss falls, and held-out reconstruction error and KL are finite and improve', () => {
    manualSeed(6);
    const vae = new Vae({ latent: 30, decoderActivation: 'tanh' });
    const x = tf.tensor2d(held, [300, 784]);
    const evaluate = () =>
      tf.tidy(() => {
        vae.eval();
        const out = vae.forwardWithLatent(x);
        const { reconstruction, kl } = vaeLoss({ reconstruction: out.reconstruction, input: x, mu: out.mu, logVar: out.logVar! });
        vae.train();
        return [reconstruction.dataSync()[0]!, kl.dataSync()[0]!];
      });
    const [rec0] = evaluate();
    const optimizer = tf.train.adam(1e-3);
    const losses: number[] = [];
    for (let epoch = 0; epoch < 4; epoch++) {
      losses.push(
        ...trainEpoch(vae.parameters(), optimizer, batches(train, [784], train, 784, 64), (xb) => {
          const out = vae.forwardWithLatent(xb);
          return vaeLoss({ reconstruction: out.reconstruction, input: xb, mu: out.mu, logVar: out.logVar! }).loss as tf.Scalar;
        }),
      );
    }
    const [rec1, kl1] = evaluate();
    const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
    console.log(
      `vae: train loss ${first.toFixed(1)} -> ${last.toFixed(1)}, held-out reconstruction ${rec0!.toFixed(1)} -> ${rec1!.toFixed(1)}, kl ${kl1!.toFixed(1)}`,
    );
    expect(last).toBeLessThan(0.6 * first);
    expect(rec1).toBeLessThan(0.6 * rec0!);
    expect(Number.isFinite(kl1)).toBe(true);
    expect(kl1).toBeGreaterThan(0);
    tf.dispose(x);
    optimizer.dispose();
    vae.dispose();
  });

  it('Autoencoder: reconstruction error falls', () => {
    manualSeed(6);
    const ae = new Autoencoder({ latent: 30 });
    const x = tf.tensor2d(held, [300, 784]);
    const heldError = () => tf.tidy(() => mseLoss(ae.reconstruct(x), x).dataSync()[0]!);
    const e0 = heldError();
    const optimizer = tf.train.adam(1e-3);
    for (let epoch = 0; epoch < 3; epoch++) {
      trainEpoch(ae.parameters(), optimizer, batches(train, [784], train, 784, 64), (xb) => mseLoss(ae.call(xb), xb) as tf.Scalar);
    }
    const e1 = heldError();
    console.log(`autoencoder: held-out mse ${e0.toFixed(4)} -> ${e1.toFixed(4)}`);
    expect(e1).toBeLessThan(0.5 * e0);
    tf.dispose(x);
    optimizer.dispose();
    ae.dispose();
  });
});
