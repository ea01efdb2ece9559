// Registers every gradient tfjs-core defines and its chained ops (x.reshape(), x.sum(), ...), in every
// environment, as tfjs's union package does: under Vite/vitest these imports are tfjs-core's own ESM
// files; in our built dist the build compiles them against the public '@tensorflow/tfjs-core' entry
// (see build/complete-tfjs-core.ts), which plain Node (ESM and CJS) can load.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { Add, BatchMatMul, Conv2D, FusedBatchNorm, MaxPool, Multiply, Relu, Softmax, Sum, getGradient } from '@tensorflow/tfjs-core';
import { LogitlabError } from '@logitlab/core';
import { registerLeanGradients } from './lean-gradients';
import { fixMomentumDispose } from './compat/momentum-dispose';

registerLeanGradients();
fixMomentumDispose();

export class GradientsNotRegisteredError extends LogitlabError {
  override name = 'GradientsNotRegisteredError';
  constructor(kernelName: string) {
    super(
      `The gradient of kernel '${kernelName}' is not registered, so training would fail. Expected ` +
        `@logitlab/backends to have registered every tfjs-core gradient; make sure exactly one copy of ` +
        `@tensorflow/tfjs-core is installed (npm ls @tensorflow/tfjs-core).`,
    );
  }
}

// Kernels the seed models differentiate through; checking them catches a second tfjs-core copy
// (whose registry we would not have filled) early and with a clear message.
const PROBES = [Conv2D, MaxPool, BatchMatMul, Relu, FusedBatchNorm, Softmax, Sum, Add, Multiply];

/** Ensures all tfjs-core gradients are registered. Idempotent; importing this package already does it. */
export function registerAllGradients(): void {
  for (const kernelName of PROBES) {
    if (getGradient(kernelName) == null) throw new GradientsNotRegisteredError(kernelName);
  }
}
