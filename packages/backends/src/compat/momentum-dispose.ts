import { MomentumOptimizer } from '@tensorflow/tfjs-core';

// tfjs 4.22's MomentumOptimizer.dispose frees its momentum scalar and accumulators but not the -lr scalar
// its parent SGDOptimizer keeps (`c`): every disposed momentum optimiser leaked one tensor. Patched once,
// here with the other tfjs internals; disposing a tensor twice is a no-op, so a fixed tfjs is unaffected.
const patched = Symbol.for('logitlab.momentumDisposeFreesLearningRate');

/** Makes MomentumOptimizer.dispose also free the kept -lr scalar. Idempotent. */
export function fixMomentumDispose(): void {
  const proto = MomentumOptimizer.prototype as unknown as Record<PropertyKey, unknown> & { dispose(): void };
  if (proto[patched]) return;
  const dispose = proto.dispose;
  proto.dispose = function (this: { c?: { dispose(): void } }) {
    dispose.call(this);
    this.c?.dispose();
  };
  proto[patched] = true;
}
