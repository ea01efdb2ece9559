// Makes tfjs-backend-webgl's gradients agree with the other backends: replaces the stock kernels that give
// different results in 4.22.0, as wasm/register.ts and webgpu/register.ts do. webgl runs only in a
// browser, so the web app's e2e suite tests these kernels (apps/web/e2e/correct-maps.mjs). Safe to call twice.
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { maxPoolGrad } from './max-pool-grad';

interface Entry {
  kernelFunc: KernelFunc;
  /** Why tfjs-webgl's own kernel does not do (the e2e suite feeds the case that shows it). */
  reason: string;
}

// Stock kernels that disagree with cpu (and PyTorch) in 4.22.0: replaced, the stock config's other fields kept.
const REPLACED: Record<string, Entry> = {
  MaxPoolGrad: {
    kernelFunc: maxPoolGrad,
    reason: 'routes a tie to the last maximum of its window (cpu and PyTorch: the first, in row-major window order)',
  },
};

const ours = new WeakSet<KernelFunc>();

/** Registers the webgl kernel fixes. Idempotent; must run after tfjs-backend-webgl was imported. */
export function registerWebglKernelFixes(): void {
  for (const [kernelName, { kernelFunc }] of Object.entries(REPLACED)) {
    const stock: KernelConfig | undefined = getKernel(kernelName, 'webgl');
    if (stock && ours.has(stock.kernelFunc)) continue;
    ours.add(kernelFunc);
    if (stock) unregisterKernel(kernelName, 'webgl');
    registerKernel({ ...stock, kernelName, backendName: 'webgl', kernelFunc });
  }
}
