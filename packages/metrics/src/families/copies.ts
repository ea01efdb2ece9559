import type { ScoreFn } from '../input';
import { checkPositiveInt } from '../input';
import { type ExplainFn, explainAll, scoreAll } from './maps';

// A metric perturbs the whole batch many times (a step, a run, a noise sample: one "copy" each). One call
// of the model per copy makes small calls, and on the native and wasm backends a forward pass of 32
// images costs several times more per image than one of 128; so copies are stacked and sent together.

/**
 * Scores `copies` perturbed versions of a batch of `count` images of `d` values, `perCall` copies per
 * call of f: a call gets n * count images, copy after copy, so with perCall > 1 f must score image j
 * for the class of image j mod count. perCall 1 keeps the one-copy-per-call contract (f may close over
 * the batch's targets). `fill(k, out)` writes copy k and is called for k = 0, 1, ... in order, so a
 * copy may build on the one before. Returns the scores copy-major: [copies, count].
 */
export async function scoreCopies(
  f: ScoreFn,
  copies: number,
  count: number,
  d: number,
  perCall: number,
  fill: (k: number, out: Float32Array) => void,
): Promise<Float64Array> {
  checkPositiveInt(perCall, 'copiesPerCall');
  const scores = new Float64Array(copies * count);
  for (let k0 = 0; k0 < copies; k0 += perCall) {
    const n = Math.min(perCall, copies - k0);
    const batch = new Float32Array(n * count * d);
    for (let k = 0; k < n; k++) fill(k0 + k, batch.subarray(k * count * d, (k + 1) * count * d));
    scores.set(await scoreAll(f, batch, n * count), k0 * count);
  }
  return scores;
}

/**
 * Explains `copies` perturbed versions of a batch (`fill` as for scoreCopies), `perCall` per call of
 * the explainer, each image for its own target. Returns the maps copy-major: [copies, count, d].
 */
export async function explainCopies(
  g: ExplainFn,
  targets: Int32Array,
  copies: number,
  d: number,
  perCall: number,
  fill: (k: number, out: Float32Array) => void,
): Promise<Float32Array> {
  checkPositiveInt(perCall, 'copiesPerCall');
  const count = targets.length;
  const maps = new Float32Array(copies * count * d);
  for (let k0 = 0; k0 < copies; k0 += perCall) {
    const n = Math.min(perCall, copies - k0);
    const batch = new Float32Array(n * count * d);
    for (let k = 0; k < n; k++) fill(k0 + k, batch.subarray(k * count * d, (k + 1) * count * d));
    const tiled = new Int32Array(n * count);
    for (let k = 0; k < n; k++) tiled.set(targets, k * count);
    maps.set(await explainAll(g, batch, n * count, tiled), k0 * count * d);
  }
  return maps;
}
