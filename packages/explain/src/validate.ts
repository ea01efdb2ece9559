import * as tf from '@tensorflow/tfjs-core';
import { firstNonFinite, firstNonFiniteAsync, indexAt } from '@logitlab/core';
import { Module } from '@logitlab/layers';
import { throwIfAborted } from './abort';
import { ExplainInputError, ExplainModelError, ExplainOptionsError, ExplainTargetError } from './errors';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}

type FiniteError = typeof ExplainInputError | typeof ExplainOptionsError;

function nonFinite(t: tf.Tensor, bad: number, value: number | undefined, what: string, error: FiniteError): Error {
  return new error(
    `${what}${indexAt(bad, t.shape)} is ${value} (flat index ${bad}); explain needs finite values (a NaN or Infinity makes every relevance NaN)`,
  );
}

/** Names the first NaN / Infinity of a tensor (one reduction when there is none), e.g. "x[0, 3, 4, 0] is NaN". */
function checkFiniteTensor(t: tf.Tensor, what: string, error: FiniteError): void {
  const bad = firstNonFinite(t);
  if (bad >= 0) throw nonFinite(t, bad, t.dataSync()[bad], what, error);
}

/** The tensors whose values explain checks: x, and a tensor baseline. */
function valueChecks(x: tf.Tensor, options: Record<string, unknown>): [tf.Tensor, string, FiniteError][] {
  const checks: [tf.Tensor, string, FiniteError][] = [];
  const baseline = options['baseline'];
  if (baseline instanceof tf.Tensor) checks.push([baseline, 'baseline', ExplainOptionsError]);
  if (x.dtype === 'float32') checks.push([x, 'x', ExplainInputError]);
  return checks;
}

/** explainAsync's finiteness check: the same as explain's, with asynchronous reads (call after validateExplainCall with values: false). */
export async function checkFiniteAsync(x: tf.Tensor, options: Record<string, unknown>): Promise<void> {
  for (const [t, what, error] of valueChecks(x, options)) {
    const bad = await firstNonFiniteAsync(t);
    if (bad >= 0) throw nonFinite(t, bad, (await t.data())[bad], what, error);
  }
}

function checkBaseline(baseline: unknown): void {
  if (baseline === undefined) return;
  if (typeof baseline === 'number') {
    if (!Number.isFinite(baseline)) throw new ExplainOptionsError(`baseline must be a finite number or a tf.Tensor, got ${baseline}`);
    return;
  }
  if (!(baseline instanceof tf.Tensor))
    throw new ExplainOptionsError(`baseline must be a finite number or a tf.Tensor, got ${describe(baseline)}`);
  if (baseline.isDisposed) throw new ExplainOptionsError('baseline is a disposed tensor');
}

/**
 * What `explain` checks before any method runs, so a wrong argument fails typed and names itself: the
 * model is a live Module, x a live float tensor with finite values, the options an object whose
 * composite, baseline and signal have the right kinds. Method-specific bounds (steps, n, window) are
 * checked by each method. `values: false` skips the finiteness reads (explainAsync does them itself,
 * asynchronously, with checkFiniteAsync).
 */
export function validateExplainCall(model: unknown, x: unknown, options: unknown, { values = true } = {}): void {
  if (!(model instanceof Module))
    throw new ExplainModelError(`explain needs a Module from @logitlab/layers as model, got ${describe(model)}`);
  if (model.isDisposed) throw new ExplainModelError(`the model (${model.typeName}) was disposed; explain needs a live model`);
  if (!(x instanceof tf.Tensor)) throw new ExplainInputError(`explain needs x as a tf.Tensor batch [N, ...], got ${describe(x)}`);
  if (x.isDisposed) throw new ExplainInputError(`x is a disposed tensor (shape [${x.shape.join(', ')}])`);
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ExplainOptionsError(`explain options must be an object, got ${describe(options)}`);
  const o = options as Record<string, unknown>;
  if (
    'composite' in o &&
    o['composite'] !== undefined &&
    typeof o['composite'] !== 'string' &&
    (o['composite'] === null || typeof o['composite'] !== 'object')
  )
    throw new ExplainOptionsError(`composite must be a composite name or a Composite object, got ${describe(o['composite'])}`);
  const target = o['target'];
  if (target !== undefined && typeof target !== 'number' && !Array.isArray(target) && !(target instanceof Int32Array))
    throw new ExplainTargetError(`target must be a class index or one per sample (an array or Int32Array), got ${describe(target)}`);
  checkBaseline(o['baseline']);
  const signal = o['signal'];
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new ExplainOptionsError(`signal must be an AbortSignal, got ${describe(signal)}`);
  throwIfAborted(signal, 'explain');
  if (values) for (const [t, what, error] of valueChecks(x, o)) checkFiniteTensor(t, what, error);
}
