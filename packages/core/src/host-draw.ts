/**
 * Host-side random draws that become tensors (dropout masks, a VAE's noise). A step recorder
 * (`@logitlab/backends/compat`'s `traceStep`) must not bake such a tensor into its plan as a constant:
 * it listens here and replays `refill` on every replay, so the generator advances exactly as in an eager
 * step. The drawing code announces each draw once, right after the tensor is made; with no listener
 * this costs one branch.
 */
import { LogitlabError } from './errors';

export type HostDrawRefill = (into: Float32Array) => void;
export type HostDrawListener = (tensor: object, refill: HostDrawRefill) => void;

let listener: HostDrawListener | undefined;

/** Announces that `tensor` (float32) holds values `refill` writes from the host's generator. */
export function announceHostDraw(tensor: object, refill: HostDrawRefill): void {
  listener?.(tensor, refill);
}

/** Installs the one listener (a recorder); returns the function that removes it. Nested recorders are refused. */
export function listenHostDraws(l: HostDrawListener): () => void {
  if (listener)
    throw new LogitlabError('listenHostDraws: a listener is already installed; expected one recorder at a time (nested step recording?)');
  listener = l;
  return () => {
    if (listener === l) listener = undefined;
  };
}
