// Makes the wasm backend able to train: registers the kernels it lacks, and corrected or faster variants of some
// it has. Must run after '@tensorflow/tfjs-backend-wasm' was imported (it registers the stock kernels)
// and may run before or after the backend initialises. Wrapped stock kernels keep their setupFunc,
// which binds their C++ function when the backend starts; without it they would crash.
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { asKernelFunc, stockKernel } from './kernel-util';
import type { KernelArgs } from './kernel-util';
import { conv2dBackpropFilter } from './conv2d-backprop-filter';
import { makeConv2dBackpropInput } from './conv2d-backprop-input';
import { makeBatchMatMul } from './batch-mat-mul';
import { depthwiseConv2dNativeBackpropFilter, depthwiseConv2dNativeBackpropInput } from './depthwise-backprop';
import { unsortedSegmentSum } from './unsorted-segment-sum';
import { maxPoolGrad } from './max-pool-grad';
import { identity } from './identity';
import { makeRelu } from './relu';
import { relu6 } from './relu6';
import { keepNanInMultiplyAddConv } from './multiply-add-conv';
import { makeSum } from './sum';
import { makeTile } from './tile';
import { makeTranspose } from './transpose';
import { makeExp } from './exp';
import { makeTanh } from './tanh';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { FUSED_KERNELS, keepNanInFusedActivation } from '../fused-activation-nan';

type Made = (args: KernelArgs) => TensorInfo;

// Kernels wasm lacks: added only if still missing (a future tfjs may ship its own).
const MISSING: Record<string, Made> = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dNativeBackpropInput,
  UnsortedSegmentSum: unsortedSegmentSum,
};

// Stock kernels that give wrong results in 4.22.0: replaced outright (setupFunc kept, so the engine's
// bookkeeping for them stays as it was).
const REPLACED: Record<string, Made> = {
  MaxPoolGrad: maxPoolGrad,
  Relu6: relu6, // NaN became 0
};

// Stock kernels that are correct but needlessly slow: replaced outright as well.
const FASTER: Record<string, Made> = {
  Identity: identity,
};

// Stock kernels we wrap with a faster path; the stock function handles everything else.
const WRAPPED: Record<string, (stock: KernelFunc) => Made> = {
  Conv2DBackpropInput: makeConv2dBackpropInput,
  BatchMatMul: makeBatchMatMul,
  Sum: makeSum,
  Tile: makeTile, // and broadcastTo: contiguous copies instead of an index per element
  Transpose: makeTranspose, // blocked copies where stock's strided writes collide in the cache; other cases stay stock
  Exp: makeExp, // float32 in a JS float64 loop (stock's std::exp per element was slower); other dtypes stay stock
  Tanh: makeTanh, // likewise
  Relu: makeRelu, // a NaN with its sign bit set became 0
  // relu and relu6 run unfused after the stock kernel (its XNNPACK clamp turned NaN into 0); a 1x1 per-channel conv's
  // NaN is restored first (XNNPACK's multiply-add path made it -Infinity; the matMul passes that wrapper untouched)
  ...Object.fromEntries(
    [...FUSED_KERNELS, 'Conv2D', 'DepthwiseConv2dNative'].map((name) => [
      name,
      (stock: KernelFunc) => keepNanInFusedActivation(keepNanInMultiplyAddConv(stock), 'wasm') as unknown as Made,
    ]),
  ),
};

// Remember what we registered so a second call is a no-op and the stock kernel is wrapped only once.
const ours = new WeakSet<KernelFunc>();

/** Registers wasm training kernels. Idempotent. */
export function registerWasmTrainingKernels(): void {
  for (const [kernelName, kernelFunc] of Object.entries(MISSING)) {
    if (getKernel(kernelName, 'wasm') != null) continue;
    const f = asKernelFunc(kernelFunc);
    ours.add(f);
    registerKernel({ kernelName, backendName: 'wasm', kernelFunc: f });
  }
  for (const [kernelName, kernelFunc] of [...Object.entries(REPLACED), ...Object.entries(FASTER)]) {
    const stock: KernelConfig = stockKernel(kernelName);
    if (ours.has(stock.kernelFunc)) continue;
    const f = asKernelFunc(kernelFunc);
    ours.add(f);
    unregisterKernel(kernelName, 'wasm');
    registerKernel({ ...stock, kernelFunc: f });
  }
  for (const [kernelName, wrap] of Object.entries(WRAPPED)) {
    const stock: KernelConfig = stockKernel(kernelName);
    if (ours.has(stock.kernelFunc)) continue;
    const f = asKernelFunc(wrap(stock.kernelFunc));
    ours.add(f);
    unregisterKernel(kernelName, 'wasm');
    registerKernel({ ...stock, kernelFunc: f });
  }
}
