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
import { attributionMethod } from './methods/registry';
import { hostScores } from './session';
import { checkFiniteAsync } from './validate';

/**
 * Methods that read values synchronously at x only, which explainAsync reads ahead. Others need their
 * own attributeAsync: integratedGradients, smoothGrad and occlusion read the baseline's scores, x's
 * range and the occluded copies' scores inside the computation.
 */
export const readAheadMethods: readonly Method[] = ['lrp', 'gradient', 'sensitivity', 'gradientTimesInput', 'gradCam'];

/** explain, with every read asynchronous where the backend needs it; resolves to the same Explanation. */
export async function explainAsync(model: Module, x: tf.Tensor, options: ExplainOptions = {}): Promise<Explanation> {
  // the structural checks first, then x's and the baseline's values with asynchronous reads
  const session = sessionFor(model, x, options, { values: false });
  await checkFiniteAsync(x, options as Record<string, unknown>);
  const method = options.method ?? 'lrp';
  const { attributeAsync } = attributionMethod(method);
  let host;
  if (!syncReadsWork()) {
    if (!attributeAsync && !readAheadMethods.includes(method)) {
      throw new ExplainOptionsError(
        `explainAsync: method '${method}' reads values synchronously inside its computation and has no attributeAsync, which backend '${tf.getBackend()}' needs; ` +
          `expected a method with attributeAsync or one of ${readAheadMethods.join(', ')} here, or a backend with synchronous reads (cpu, wasm, native)`,
      );
    }
    host = await inEvalModeAsync(model, () => hostScores(session, x));
  }
  const ready = host ? { ...session, host } : session;
  // a method's own asynchronous attribution runs everywhere, so cpu tests the path webgpu takes
  const result = attributeAsync
    ? { ...(await inEvalModeAsync(model, () => attributeAsync(ready, x, options))), method }
    : attribute(ready, x, options);
  try {
    return explanation(result, conservationReport(await result.relevance.data(), result.reference));
  } catch (error) {
    result.relevance.dispose();
    throw error;
  }
}
