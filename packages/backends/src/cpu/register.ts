// tfjs-backend-cpu 4.22.0 kernels that give wrong results, replaced on 'cpu' as the wasm backend's are
// (see wasm/register.ts). The stock kernel stays as the fallback for what ours does not handle. Idempotent.
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { resizeNearestNeighborGrad } from '../native/resize-grad';
import type { Args } from '../native/kernel-util';

const ours = new WeakSet<KernelFunc>();

/** Replaces cpu's ResizeNearestNeighborGrad (wrong for batches of more than one image) with ours. */
export function registerCpuFixes(): void {
  const stock = getKernel('ResizeNearestNeighborGrad', 'cpu');
  if (!stock || ours.has(stock.kernelFunc)) return;
  const fixed = resizeNearestNeighborGrad(stock.kernelFunc as unknown as (args: Args) => ReturnType<KernelFunc>) as unknown as KernelFunc;
  ours.add(fixed);
  unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
  registerKernel({ ...stock, kernelFunc: fixed });
}
