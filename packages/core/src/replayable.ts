/**
 * Functions a step recorder may skip on replay: their JavaScript only computes with tensors (no
 * counters, no logging, no state of their own), so replaying their kernels is running them. A
 * compiled training step replays kernels and never calls the loss again; `fit({ compile: 'auto' })`
 * compiles only losses (and forwards) marked here. The library's losses mark themselves.
 */
const marked = new WeakSet<object>();

/** Marks `fn` as computing only with tensors; returns it. */
export function replayable<F extends (...args: never[]) => unknown>(fn: F): F {
  marked.add(fn);
  return fn;
}

export function isReplayable(fn: unknown): boolean {
  return typeof fn === 'function' && marked.has(fn);
}

/**
 * `wrapper` marked replayable when `inner` is: for adapters that only forward their arguments to a
 * marked function (a recipe's loss handed to fit), which would otherwise hide the mark.
 */
export function replayableLike<F extends (...args: never[]) => unknown>(inner: unknown, wrapper: F): F {
  return isReplayable(inner) ? replayable(wrapper) : wrapper;
}
