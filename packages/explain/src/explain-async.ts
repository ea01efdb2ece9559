// explainAsync: explain for backends that cannot read synchronously (webgpu; in Node it has no sync
// reads at all). What explain reads synchronously at x (whether the model ends in a head, the start
// scores that pick the targets) is read ahead asynchronously, and the conservation report reads the
// relevance asynchronously. The Explanation is the one explain returns.
import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { syncReadsWork } from '@logitlab/core';
import { conservationReport } from './conservation';
import { ExplainOptionsError } from './errors';
import { inEvalModeAsync } from './eval-mode';
import { attribute, type ExplainOptions, type Explanation, explanation, type Method, sessionFor } from './explain';
import { hostScores } from './session';
import { checkFiniteAsync } from './validate';

/**
 * Methods whose scores are read at x only. integratedGradients and occlusion also read the scores of
 * other inputs (the baseline, the occluded copies), and smoothGrad x's range, inside the computation.
 */
export const readAheadMethods: readonly Method[] = ['lrp', 'gradient', 'sensitivity', 'gradientTimesInput', 'gradCam'];

/** explain, with every read asynchronous where the backend needs it; resolves to the same Explanation. */
export async function explainAsync(model: Module, x: tf.Tensor, options: ExplainOptions = {}): Promise<Explanation> {
  // the structural checks first, then x's and the baseline's values with asynchronous reads
  const session = sessionFor(model, x, options, { values: false });
  await checkFiniteAsync(x, options as Record<string, unknown>);
  const method = options.method ?? 'lrp';
  let host;
  if (!syncReadsWork()) {
    if (!readAheadMethods.includes(method)) {
      throw new ExplainOptionsError(
        `explainAsync: method '${method}' reads scores synchronously inside its computation, which backend '${tf.getBackend()}' cannot serve; ` +
          `expected one of ${readAheadMethods.join(', ')} here, or a backend with synchronous reads (cpu, wasm, native)`,
      );
    }
    host = await inEvalModeAsync(model, () => hostScores(session, x));
  }
  const result = attribute(host ? { ...session, host } : session, x, options);
  try {
    return explanation(result, conservationReport(await result.relevance.data(), result.reference));
  } catch (error) {
    result.relevance.dispose();
    throw error;
  }
}
