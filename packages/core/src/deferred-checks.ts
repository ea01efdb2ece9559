/**
 * Data checks that need device values (a loss's target range) without a host read where they run.
 * A training loop that already reads its losses back every few steps opens a collection around each
 * step; a loss inside it hands over a small tensor and a verdict instead of calling dataSync, and the
 * loop reads the tensor with its losses and throws the verdict's error. A step with no host read is one
 * a step recorder can replay, and the read is one the loop does anyway. With no collection open, the
 * loss checks at once as before (`deferCheck` returns false).
 */
import { keep, type Tensor } from '@tensorflow/tfjs-core';
import { LogitlabError } from './errors';

/** Turns the values read back (flattened, as numbers) into the error to throw, or undefined when they pass. */
export type CheckVerdict = (values: readonly number[]) => Error | undefined;

export interface DeferredCheck {
  /** The device values the verdict needs (kept: the collector's owner disposes them). */
  values: Tensor;
  verdict: CheckVerdict;
}

let open: DeferredCheck[] | undefined;

/**
 * Hands `values` and its verdict to the open collection, keeping `values` past the caller's tidy;
 * returns false (taking nothing) when none is open, so the caller checks synchronously instead.
 */
export function deferCheck(values: Tensor, verdict: CheckVerdict): boolean {
  if (!open) return false;
  open.push({ values: keep(values), verdict });
  return true;
}

/**
 * Runs `fn` with a collection open and returns what it deferred. The caller owns the checks' tensors
 * (also when `fn` throws: they are freed then). Collections do not nest: a second is refused.
 */
export function collectChecks<T>(fn: () => T): { result: T; checks: DeferredCheck[] } {
  if (open) throw new LogitlabError('collectChecks: a collection is already open; expected one step at a time (nested collection?)');
  const checks: DeferredCheck[] = [];
  open = checks;
  try {
    return { result: fn(), checks };
  } catch (e) {
    for (const c of checks) c.values.dispose();
    throw e;
  } finally {
    open = undefined;
  }
}

/** The first error the checks' verdicts give for `values`, read back flattened in the checks' order. */
export function firstFailedCheck(checks: readonly DeferredCheck[], values: ArrayLike<number>): Error | undefined {
  let at = 0;
  for (const c of checks) {
    const n = c.values.size;
    const error = c.verdict(Array.prototype.slice.call(values, at, at + n) as number[]);
    at += n;
    if (error) return error;
  }
  return undefined;
}
