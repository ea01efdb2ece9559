import * as tf from '@tensorflow/tfjs-core';
import { Linear, Sequential } from '@logitlab/layers';
import { flattenBatch } from './input';
import { LatentModel, buildEncoderBody, type LatentModelOptions, type LatentOutput } from './latent';

export type AutoencoderOptions = LatentModelOptions;

/**
 * Plain autoencoder with the Vae's sizes and API: [Linear input->hidden, ReLU] -> Linear -> code
 * (called mu for symmetry; logVar is null) -> the same decoder. Deterministic in both modes.
 * `sample` decodes N(0, I) codes too — the AE has no prior, which is what the comparison shows.
 * State dict: encoder.*, code.*, decoder.*.
 */
export class Autoencoder extends LatentModel {
  readonly encoder: Sequential | null;
  readonly code: Linear;

  override get typeName(): string {
    return 'Autoencoder';
  }

  override extraRepr(): string {
    return `decoderActivation=${this.options.decoderActivation}`;
  }

  constructor(options: AutoencoderOptions = {}) {
    super('Autoencoder', options);
    const body = buildEncoderBody(this.options);
    this.encoder = body ? this.registerModule('encoder', body) : null;
    this.code = this.registerModule('code', new Linear(this.options.hidden ?? this.options.input, this.options.latent));
    this.registerModule('decoder', this.decoder);
  }

  encode(x: tf.Tensor): { mu: tf.Tensor2D; logVar: null } {
    const mu = tf.tidy(() => {
      const flat = flattenBatch(x, this.options.input, 'Autoencoder');
      return this.code.call(this.encoder ? this.encoder.call(flat) : flat) as tf.Tensor2D;
    });
    return { mu, logVar: null };
  }

  forwardWithLatent(x: tf.Tensor): LatentOutput {
    const { reconstruction, mu } = tf.tidy(() => {
      const code = this.encode(x).mu;
      return { reconstruction: tf.reshape(this.decode(code), x.shape), mu: code };
    });
    return { reconstruction, mu, logVar: null, z: mu.clone() };
  }
}
