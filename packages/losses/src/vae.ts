import * as tf from '@tensorflow/tfjs-core';
import { requireSameShape } from './checks';
import { binaryCrossEntropy } from './bce';
import { LossOptionError, LossShapeError } from './errors';
import { gaussianKl } from './kl';
import { mseLoss } from './regression';
import { checkReduction, mean, type Reduction } from './reduce';
import { callSite, markPitfallChecked, pitfallWarningsEnabled, shouldCheck, syncReadsWork, warnPitfall } from '@logitlab/core';

export interface VaeLossInputs {
  /** Decoder output [N, ...]. */
  reconstruction: tf.Tensor;
  /** The encoder's input, same shape. */
  input: tf.Tensor;
  mu: tf.Tensor;
  logVar: tf.Tensor;
}

export interface VaeLossOptions {
  /** Weight of the KL term (beta-VAE). */
  beta?: number;
  /** 'mse': squared error; 'bce': binary cross-entropy on probabilities (sigmoid decoder). */
  reconstruction?: 'mse' | 'bce';
  /**
   * ONE reduction for both terms: each term is first summed per sample (over every feature / latent
   * unit), then 'mean' averages over the batch, 'sum' sums over it, 'none' keeps [N].
   */
  reduction?: Reduction;
}

/** All tensors; inside tf.tidy / optimizer.minimize they are cleaned up, otherwise tf.dispose(result). */
// a type alias (not an interface) so the result is a TensorContainer: tf.dispose(result) works
export type VaeLossResult = {
  /** reconstruction + beta * kl */
  loss: tf.Tensor;
  reconstruction: tf.Tensor;
  /** The KL term before beta. */
  kl: tf.Tensor;
  /** beta * kl / reconstruction: far from 1 in either direction means one term drowns the other. */
  ratio: tf.Tensor;
};

// beta * KL above RATIO_WARN times the reconstruction (or beta below 1/RATIO_WARN) gets a warning.
const RATIO_WARN = 100;

/**
 * The VAE objective with both terms on the same scale. The classic bug this prevents is a
 * per-element mean for the reconstruction added to a per-sample sum for the KL (784x apart on MNIST),
 * which silently acts like a huge beta.
 */
export function vaeLoss({ reconstruction, input, mu, logVar }: VaeLossInputs, options: VaeLossOptions = {}): VaeLossResult {
  const { beta = 1, reconstruction: kind = 'mse', reduction = 'mean' } = options;
  checkReduction(reduction, ['mean', 'sum', 'none'], 'vaeLoss');
  if (kind !== 'mse' && kind !== 'bce') throw new LossOptionError(`vaeLoss: reconstruction must be 'mse' or 'bce', got '${String(kind)}'`);
  if (!(beta >= 0)) throw new LossOptionError(`vaeLoss: beta must be >= 0, got ${beta}`);
  requireSameShape('vaeLoss', reconstruction, input, ['reconstruction', 'input']);
  if (reconstruction.rank < 1 || mu.rank < 1 || mu.shape[0] !== reconstruction.shape[0]) {
    throw new LossShapeError(
      `vaeLoss: reconstruction [${reconstruction.shape.join(', ')}] and mu [${mu.shape.join(', ')}] must share the batch axis`,
    );
  }
  const n = reconstruction.shape[0] ?? 1;
  const result = tf.tidy(() => {
    const elementwise =
      kind === 'mse'
        ? mseLoss(reconstruction, input, { reduction: 'none' })
        : binaryCrossEntropy(reconstruction, input, { reduction: 'none' });
    const perSample = tf.sum(tf.reshape(elementwise, [n, -1]), -1);
    const rec = reduction === 'none' ? perSample : reduction === 'sum' ? tf.sum(perSample) : mean(perSample);
    const kl = gaussianKl(mu, logVar, { reduction });
    const loss = tf.add(rec, tf.mul(kl, beta));
    const ratio = tf.div(tf.mul(kl, beta), rec);
    return { loss, reconstruction: rec, kl, ratio };
  });
  reportBalance(result, beta);
  return result;
}

// Calls per site that may be read back while no verdict is possible yet (KL still near the prior).
const MAX_PROBES = 5;
const probes = new Map<string, number>();

function reportBalance(r: VaeLossResult, beta: number): void {
  if (!pitfallWarningsEnabled() || !syncReadsWork()) return;
  const site = callSite();
  if (!shouldCheck('vae-balance', site)) return;
  // a site is marked checked after MAX_PROBES calls; after resetPitfallWarnings the count starts again
  const n = (probes.get(site) ?? 0) % MAX_PROBES;
  probes.set(site, n + 1);
  const rec = tf.tidy(() => tf.mean(r.reconstruction));
  const kl = tf.tidy(() => tf.mean(r.kl));
  const recV = rec.dataSync()[0] ?? 0;
  const klV = kl.dataSync()[0] ?? 0;
  tf.dispose([rec, kl]);
  const ratio = (beta * klV) / recV;
  // judged once per call site: balance is decided by how the loss is built, not by one batch
  const kLDrowns = !Number.isFinite(ratio) ? beta * klV !== 0 : ratio > RATIO_WARN;
  // a tiny beta switches the KL term off whatever the KL is (the model trains as a plain autoencoder)
  const betaOff = beta > 0 && beta < 1 / RATIO_WARN && ratio < 1 / RATIO_WARN;
  if (!kLDrowns && !betaOff) {
    // A KL far below the reconstruction is how every VAE starts (its encoder begins near the prior,
    // KL ~ 0, and the KL grows as it learns): no verdict from that; probe again later, then stop.
    if (ratio >= 1 / RATIO_WARN || n + 1 >= MAX_PROBES) markPitfallChecked('vae-balance', site);
    return;
  }
  warnPitfall(
    'vae-balance',
    site,
    `vaeLoss terms are unbalanced: reconstruction ${recV.toPrecision(4)}, beta * KL ${(beta * klV).toPrecision(4)} (beta ${beta}), ratio ${ratio.toPrecision(3)}. ` +
      'Check that both terms use the same reduction and that beta is what you intend.',
  );
}
