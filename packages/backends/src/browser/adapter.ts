import { isModuleNotFound } from '../platform';
import type { PlatformAdapter } from '../platform';
import type { ConcreteBackendName } from '../types';
import { webglSoftwareReason, webgpuSoftwareReason } from './software-gpu';
import { bundledWasmPaths } from './wasm-paths';

// Literal specifiers so bundlers include (and code-split) the backends the app has installed.
async function importBrowserBackend(name: ConcreteBackendName): Promise<Record<string, unknown>> {
  switch (name) {
    case 'cpu':
      return import('@tensorflow/tfjs-backend-cpu');
    case 'wasm':
      return import('@tensorflow/tfjs-backend-wasm');
    case 'webgl':
      return import('@tensorflow/tfjs-backend-webgl');
    case 'webgpu':
      return import('@tensorflow/tfjs-backend-webgpu');
    default:
      throw new Error(`backend '${name}' runs only in Node`);
  }
}

let pathsSet = false;

export const browserAdapter: PlatformAdapter = {
  platform: 'browser',
  importBackend: importBrowserBackend,
  isNotInstalled: isModuleNotFound,
  defaultWasmThreads() {
    // Threads need SharedArrayBuffer, which browsers give only to cross-origin isolated pages.
    const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
    return g.crossOriginIsolated ? Math.max(1, g.navigator?.hardwareConcurrency ?? 1) : 1;
  },
  hardwareThreads() {
    return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  },
  async autoSkipReason(name) {
    if (name === 'webgpu') return webgpuSoftwareReason();
    if (name === 'webgl') return webglSoftwareReason();
    return undefined;
  },
  async startWasm(wasm, threads, options, start) {
    // setWasmPaths throws once the backend started; paths only matter for the first start.
    if (!pathsSet) {
      wasm.setWasmPaths(options.wasmPaths ?? bundledWasmPaths());
      pathsSet = true;
    }
    wasm.setThreadsCount(threads);
    return start();
  },
};
