// The fused elementwise-gradient kernels lean-gradients.ts dispatches to when the active backend has them:
// one native pass where tfjs's stock gradient runs three kernels (see packages/native/src/grad.cc).
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { FUSED_GRAD_KERNELS } from '../lean-gradients';
import { type Args, type Kernel, f32, output } from './kernel-util';
import { oneOpRunner } from './run-op';
import type { NativeAddon } from './types';

export function fusedGradKernels(addon: NativeAddon, codes: Record<string, number>): Record<string, () => Kernel> {
  const out: Record<string, () => Kernel> = {};
  const run = oneOpRunner(addon);
  for (const [op, kernelName] of Object.entries(FUSED_GRAD_KERNELS)) {
    const code = codes[op];
    if (code === undefined) continue;
    // lean-gradients.ts calls these only with float32 inputs of one shape; f32() refuses anything else
    out[kernelName] =
      () =>
      ({ inputs, backend }: Args): TensorInfo => {
        const dy = inputs.dy!;
        const dyv = f32(backend, dy);
        const av = f32(backend, inputs.a);
        const bv = inputs.b ? f32(backend, inputs.b) : null;
        return output(backend, [...dy.shape], (o) =>
          bv ? run('grad', [code, 0, 1, 2, 3, dyv.length], [dyv, av, bv, o]) : run('grad', [code, 0, 1, -1, 2, dyv.length], [dyv, av, o]),
        );
      };
  }
  return out;
}
