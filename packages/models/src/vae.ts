import * as tf from '@tensorflow/tfjs-core';
import { Linear, Sequential, randNormal } from '@logitlab/layers';
import { flattenBatch } from './input';
import { LatentModel, buildEncoderBody, type LatentModelOptions, type LatentOutput } from './latent';

export type VaeOptions = LatentModelOptions;

/**
 * Variational autoencoder (Kingma & Welling): [Linear input->hidden, ReLU] -> mu and log_var heads
 * (Linear -> latent each); z = mu + exp(logVar / 2) * eps with eps from the global generator
 * (`manualSeed`) in train mode, z = mu in eval mode; decoder mirrors the encoder and ends in tanh or
 * sigmoid. `forward` returns the reconstruction; `forwardWithLatent` also returns mu and logVar for
 * the loss (e.g. `vaeLoss` from @logitlab/losses). State dict: encoder.*, mu.*, log_var.*, decoder.*.
 */
export class Vae extends LatentModel {
  readonly encoder: Sequential | null;
  readonly mu: Linear;
  readonly log_var: Linear;

  override get typeName(): string {
    return 'Vae';
  }

  override extraRepr(): string {
    return `decoderActivation=${this.options.decoderActivation}`;
  }

  constructor(options: VaeOptions = {}) {
    super('Vae', options);
    const body = buildEncoderBody(this.options);
    this.encoder = body ? this.registerModule('encoder', body) : null;
    const width = this.options.hidden ?? this.options.input;
    this.mu = this.registerModule('mu', new Linear(width, this.options.latent));
    this.log_var = this.registerModule('log_var', new Linear(width, this.options.latent));
    this.registerModule('decoder', this.decoder);
  }

  encode(x: tf.Tensor): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const flat = flattenBatch(x, this.options.input, 'Vae');
      const h = this.encoder ? this.encoder.call(flat) : flat;
      return { mu: this.mu.call(h) as tf.Tensor2D, logVar: this.log_var.call(h) as tf.Tensor2D };
    });
  }

  /** z = mu + sigma * eps in train mode (eps ~ N(0, I) from the seeded global generator), mu in eval. */
  reparameterize(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor2D {
    if (!this.training) return mu.clone();
    return tf.tidy(() => tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), randNormal(mu.shape))));
  }

  forwardWithLatent(x: tf.Tensor): LatentOutput {
    return tf.tidy(() => {
      const { mu, logVar } = this.encode(x);
      const z = this.reparameterize(mu, logVar);
      return { reconstruction: tf.reshape(this.decode(z), x.shape), mu, logVar, z };
    });
  }
}
