import * as tf from '@tensorflow/tfjs-core';
import { Linear, Module, ReLU, Sequential, getRngState, manualSeed, randNormal, setRngState } from '@logitlab/layers';
import { ModelOptionsError } from './errors';
import { replayable } from '@logitlab/core';

export type DecoderActivation = 'tanh' | 'sigmoid';

export interface LatentModelOptions {
  /** Values per sample (784 for MNIST). */
  input?: number;
  /** Size of the code. */
  latent?: number;
  /** Optional hidden layer (with ReLU) in the encoder and, mirrored, in the decoder; absent = linear encoder. */
  hidden?: number;
  /** Output nonlinearity: tanh for data coded in [-1, 1], sigmoid for [0, 1]. */
  decoderActivation?: DecoderActivation;
}

export interface LatentOutput {
  /** Same shape as the input. */
  reconstruction: tf.Tensor;
  mu: tf.Tensor2D;
  /** null for the plain autoencoder, which has no posterior variance. */
  logVar: tf.Tensor2D | null;
  /** The code the decoder saw (mu + noise in a training Vae, mu otherwise). */
  z: tf.Tensor2D;
}

export type ResolvedLatentOptions = Required<Omit<LatentModelOptions, 'hidden'>> & { hidden: number | undefined };

export function resolveLatentOptions(
  model: string,
  { input = 784, latent = 30, hidden, decoderActivation = 'tanh' }: LatentModelOptions,
): ResolvedLatentOptions {
  for (const [k, v] of Object.entries({ input, latent, ...(hidden === undefined ? {} : { hidden }) })) {
    if (!Number.isInteger(v) || v < 1) throw new ModelOptionsError(`${model}: ${k} must be a positive integer, got ${v}`);
  }
  if (decoderActivation !== 'tanh' && decoderActivation !== 'sigmoid') {
    throw new ModelOptionsError(`${model}: decoderActivation must be 'tanh' or 'sigmoid', got '${String(decoderActivation)}'`);
  }
  return { input, latent, hidden, decoderActivation };
}

/** latent -> [hidden, ReLU] -> input; the output nonlinearity is applied by `decode`. */
export function buildDecoder({ input, latent, hidden }: ResolvedLatentOptions): Sequential {
  return hidden === undefined
    ? new Sequential(new Linear(latent, input))
    : new Sequential(new Linear(latent, hidden), new ReLU(), new Linear(hidden, input));
}

/** input -> hidden, ReLU (only built when there is a hidden layer). */
export function buildEncoderBody({ input, hidden }: ResolvedLatentOptions): Sequential | null {
  return hidden === undefined ? null : new Sequential(new Linear(input, hidden), new ReLU());
}

/** Standard normal [n, latent]; with a seed the global generator's stream is left untouched. */
export function priorNoise(n: number, latent: number, seed?: number): tf.Tensor2D {
  if (seed === undefined) return randNormal([n, latent]) as tf.Tensor2D;
  const saved = getRngState();
  manualSeed(seed);
  try {
    return randNormal([n, latent]) as tf.Tensor2D;
  } finally {
    setRngState(saved);
  }
}

/** What Vae and Autoencoder share: flatten, decode with the output nonlinearity, sample, reconstruct. */
export abstract class LatentModel extends Module {
  readonly options: ResolvedLatentOptions;
  readonly decoder: Sequential;

  protected constructor(model: string, options: LatentModelOptions) {
    super();
    this.options = resolveLatentOptions(model, options);
    this.decoder = buildDecoder(this.options);
  }

  abstract encode(x: tf.Tensor): { mu: tf.Tensor2D; logVar: tf.Tensor2D | null };
  abstract forwardWithLatent(x: tf.Tensor): LatentOutput;

  /** z [N, latent] -> [N, input] through the decoder and its output nonlinearity. */
  decode(z: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const out = this.decoder.call(z);
      return (this.options.decoderActivation === 'tanh' ? tf.tanh(out) : tf.sigmoid(out)) as tf.Tensor2D;
    });
  }

  /** Reconstruction in the input's shape (for training: the Vae adds noise in train mode). */
  forward(x: tf.Tensor): tf.Tensor {
    const out = this.forwardWithLatent(x);
    tf.dispose([out.mu, out.z, ...(out.logVar ? [out.logVar] : [])]);
    return out.reconstruction;
  }

  /** Deterministic reconstruction decode(mu), in the input's shape, whatever the mode. */
  reconstruct(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { mu } = this.encode(x);
      return tf.reshape(this.decode(mu), x.shape);
    });
  }

  /** n decodings of z ~ N(0, I): [n, input]. A seed makes them reproducible. */
  sample(n: number, seed?: number): tf.Tensor2D {
    if (!Number.isInteger(n) || n < 1) throw new ModelOptionsError(`sample: n must be a positive integer, got ${n}`);
    return tf.tidy(() => this.decode(priorNoise(n, this.options.latent, seed)));
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(LatentModel.prototype.forward);
