// Identity for wasm without a copy. The engine clones every tensor a gradient saves for the backward
// pass (Engine.saveTensorsForBackwardMode -> Identity), and the stock wasm Identity copies the data:
// ~57 copies per training step of the seed convnet (~3% of the step). Tensor data is immutable in tfjs
// (kernels write only into their outputs, Variable.assign swaps the dataId), so sharing the data with a
// reference count is safe; it is what the cpu backend's Identity and wasm's own Reshape do.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs, WasmBackendLike } from './kernel-util';

interface RefCounted extends WasmBackendLike {
  incRef(dataId: TensorInfo['dataId']): void;
}

export function identity({ inputs, backend }: KernelArgs): TensorInfo {
  const x = inputs.x!;
  (backend as RefCounted).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}
