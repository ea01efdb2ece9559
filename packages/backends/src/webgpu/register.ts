// Makes tfjs-backend-webgpu train the seed models: registers the kernels it lacks or gets wrong in
// 4.22.0, as wasm/register.ts does for wasm. Safe to call twice.
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { maxPoolGrad } from './max-pool-grad';
import { nanKeepingActivations } from './nan-activations';
import { FUSED_KERNELS, keepNanInFusedActivation } from '../fused-activation-nan';

interface Entry {
  kernelFunc: KernelFunc;
  /** Why tfjs-webgpu's own kernel does not do (a test feeds the case that shows it). */
  reason: string;
}

// Kernels webgpu lacks: added only if still missing (a future tfjs may ship its own).
const MISSING: Record<string, Entry> = {};

// Stock kernels that give wrong results in 4.22.0: replaced, the stock config's other fields kept.
const REPLACED: Record<string, Entry> = {
  MaxPoolGrad: {
    kernelFunc: maxPoolGrad,
    reason:
      'routes a tie to the last maximum, never to +Infinity, and a -Infinity window to its first element (cpu and PyTorch: the first maximum)',
  },
  ...Object.fromEntries(
    Object.entries(nanKeepingActivations).map(([name, kernelFunc]) => [
      name,
      { kernelFunc, reason: `${name}(NaN) is not NaN where the GPU compiler assumes no NaN (llvmpipe: NaN < 0 is true, relu(NaN) = 0)` },
    ]),
  ),
};

// Stock kernels we wrap: the stock function still does the work.
const WRAPPED: Record<string, { wrap: (stock: KernelFunc) => KernelFunc; reason: string }> = Object.fromEntries(
  FUSED_KERNELS.map((name) => [
    name,
    {
      wrap: (stock: KernelFunc) => keepNanInFusedActivation(stock, 'webgpu'),
      reason: 'its relu and relu6 epilogue turns NaN into 0 (llvmpipe: NaN < 0 is true); they run as our Relu and Relu6 after it',
    },
  ]),
);

const ours = new WeakSet<KernelFunc>();

/** Registers the webgpu training kernels. Idempotent; must run after tfjs-backend-webgpu was imported. */
export function registerWebgpuTrainingKernels(): void {
  for (const [kernelName, { kernelFunc }] of Object.entries(MISSING)) {
    if (getKernel(kernelName, 'webgpu') != null) continue;
    ours.add(kernelFunc);
    registerKernel({ kernelName, backendName: 'webgpu', kernelFunc });
  }
  for (const [kernelName, { kernelFunc }] of Object.entries(REPLACED)) {
    const stock: KernelConfig | undefined = getKernel(kernelName, 'webgpu');
    if (stock && ours.has(stock.kernelFunc)) continue;
    ours.add(kernelFunc);
    if (stock) unregisterKernel(kernelName, 'webgpu');
    registerKernel({ ...stock, kernelName, backendName: 'webgpu', kernelFunc });
  }
  for (const [kernelName, { wrap }] of Object.entries(WRAPPED)) {
    const stock: KernelConfig | undefined = getKernel(kernelName, 'webgpu');
    if (!stock || ours.has(stock.kernelFunc)) continue;
    const kernelFunc = wrap(stock.kernelFunc);
    ours.add(kernelFunc);
    unregisterKernel(kernelName, 'webgpu');
    registerKernel({ ...stock, kernelFunc });
  }
}
