// Starts tfjs's webgpu backend in Node on Dawn (the optional `webgpu` package). tfjs 4.22 registers
// its webgpu backend only when `navigator.gpu` exists at import, which Node lacks, and its factory asks
// for a core adapter only; so we pick the adapter (adapter-choice.ts), make the device with the limits
// tfjs's factory asks for, and register `WebGPUBackend` under 'webgpu' ourselves.
import { registerBackend, setBackend } from '@tensorflow/tfjs-core';
import type { DataId, KernelBackend } from '@tensorflow/tfjs-core';
import { BackendUnavailableError, SyncReadUnavailableError } from '../../errors';
import { errorMessage } from '../../platform';
import { markNoSyncReads } from '@logitlab/core';
import type { WebgpuAdapterInfo } from '../../types';
import { adapterOrder, chooseAdapter } from './adapter-choice';
import type { DawnModule, GpuAdapterLike } from './dawn-types';

// below cpu (1) and wasm (2): tfjs must never pick it on its own
const PRIORITY = 0;
// what tfjs-backend-webgpu's own factory raises to the adapter's maximum
const LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
];

interface TensorDataLike {
  values?: unknown;
  dtype: string;
}
type WebGPUBackendClass = new (
  device: unknown,
  adapterInfo?: unknown,
) => KernelBackend & {
  tensorMap: { get(dataId: DataId): TensorDataLike | undefined };
};

let started: WebgpuAdapterInfo | undefined;

/** The adapter the Node webgpu backend runs on, once it started. */
export function webgpuAdapterInfo(): WebgpuAdapterInfo | undefined {
  return started;
}

// tfjs-backend-webgpu reads GPUBufferUsage, GPUMapMode, ... as globals, as a browser has them
function installGlobals(dawn: DawnModule): void {
  const g = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(dawn.globals)) if (!(name in g)) g[name] = value;
}

// A read of data still on the GPU draws it through an OffscreenCanvas, which Node lacks; a typed error
// saying what to call instead replaces "OffscreenCanvas is not defined".
function withTypedSyncReads(Base: WebGPUBackendClass): WebGPUBackendClass {
  return class NodeWebGPUBackend extends Base {
    override readSync(dataId: DataId) {
      const data = this.tensorMap.get(dataId);
      if (typeof OffscreenCanvas === 'undefined' && data != null && data.values == null && data.dtype !== 'string') {
        throw new SyncReadUnavailableError('webgpu');
      }
      return super.readSync(dataId);
    }
  };
}

// WebGPUBackend's constructor refuses to run without `navigator.gpu`. Node has no navigator (20) or one
// without gpu (21+): it is lent for the synchronous constructor only, so nothing else in the process
// (tfjs's own webgpu factory, feature checks in other libraries) takes Node for a WebGPU browser.
function constructWithNavigatorGpu<T>(gpu: unknown, make: () => T): T {
  const g = globalThis as { navigator?: object };
  const hadNavigator = Object.prototype.hasOwnProperty.call(g, 'navigator');
  const previous = g.navigator;
  const lent = previous ?? {};
  Object.defineProperty(lent, 'gpu', { value: gpu, configurable: true });
  if (!previous) Object.defineProperty(g, 'navigator', { value: lent, configurable: true, writable: true });
  try {
    return make();
  } finally {
    delete (lent as { gpu?: unknown }).gpu;
    if (!previous) {
      if (hadNavigator) g.navigator = previous;
      else delete g.navigator;
    }
  }
}

async function makeDevice(adapter: GpuAdapterLike): Promise<unknown> {
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMITS) {
    const v = adapter.limits[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  return adapter.requestDevice({ requiredLimits });
}

export async function startWebgpuBackend(
  tfjsWebgpu: Record<string, unknown>,
  dawn: DawnModule,
  preference: string | undefined,
): Promise<{ started: boolean; adapter: WebgpuAdapterInfo }> {
  // Started before: one device per process, whatever adapter is asked for later.
  if (started) return { started: await setBackend('webgpu'), adapter: started };
  const Backend = tfjsWebgpu.WebGPUBackend as WebGPUBackendClass | undefined;
  if (typeof Backend !== 'function') {
    throw new BackendUnavailableError('webgpu', '@tensorflow/tfjs-backend-webgpu has no WebGPUBackend export (version mismatch?)');
  }
  installGlobals(dawn);
  const chosen = await chooseAdapter(dawn, adapterOrder(preference));
  let device: unknown;
  try {
    device = await makeDevice(chosen.adapter);
  } catch (error) {
    throw new BackendUnavailableError('webgpu', `${chosen.info.name}: requestDevice failed: ${errorMessage(error)}`, { cause: error });
  }
  const NodeBackend = withTypedSyncReads(Backend);
  registerBackend('webgpu', () => constructWithNavigatorGpu(chosen.gpu, () => new NodeBackend(device, chosen.adapter.info)), PRIORITY);
  markNoSyncReads('webgpu');
  started = chosen.info;
  return { started: await setBackend('webgpu'), adapter: chosen.info };
}
