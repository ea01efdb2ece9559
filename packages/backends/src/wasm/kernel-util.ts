// Small helpers for kernels that are built from other wasm kernels: they call the registered
// kernelFuncs directly on the backend (no tf ops, no tape, no engine bookkeeping) and must free every
// intermediate with backend.disposeData themselves.
import { getKernel } from '@tensorflow/tfjs-core';
import type { DataId, DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { LogitlabError } from '@logitlab/core';

/** The parts of tfjs-backend-wasm's BackendWasm our kernels use. */
export interface WasmBackendLike {
  disposeData(dataId: DataId, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: WasmBackendLike;
  attrs: NamedAttrMap;
}

export class MissingWasmKernelError extends LogitlabError {
  override name = 'MissingWasmKernelError';
  constructor(kernelName: string) {
    super(`The wasm backend has no '${kernelName}' kernel; expected @tensorflow/tfjs-backend-wasm 4.22.0 to be loaded.`);
  }
}

/** Runs the kernel currently registered for wasm under `name`. */
export function run(
  name: string,
  backend: WasmBackendLike,
  inputs: Record<string, TensorInfo> | TensorInfo[],
  attrs: object = {},
): TensorInfo {
  const config = getKernel(name, 'wasm');
  if (config == null) throw new MissingWasmKernelError(name);
  return config.kernelFunc({ inputs: inputs as never, backend: backend as never, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/** A tensor view with another shape over the same data (no copy, no refcount change). */
export function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

export function free(backend: WasmBackendLike, ...tensors: TensorInfo[]): void {
  for (const t of tensors) backend.disposeData(t.dataId);
}

export function asKernelFunc(f: (args: KernelArgs) => TensorInfo): KernelFunc {
  return f as unknown as KernelFunc;
}

/** The stock kernel config, captured once before we replace it (its setupFunc must be kept). */
export function stockKernel(name: string): KernelConfig {
  const config = getKernel(name, 'wasm');
  if (config == null) throw new MissingWasmKernelError(name);
  return config;
}
