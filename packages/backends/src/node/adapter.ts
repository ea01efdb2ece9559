import os from 'node:os';
import { env } from '@tensorflow/tfjs-core';
import { BACKEND_PACKAGES } from '../packages';
import { isModuleNotFound } from '../platform';
import type { PlatformAdapter } from '../platform';
import { startWasmWithThreads } from './wasm-threads';
import { startNativeBackend } from './native';
import { startWebgpuBackend } from './webgpu/start';
import { importDawn, webgpuAutoSkipReason } from './webgpu/dawn';

const MAX_DEFAULT_THREADS = 4;

// a test runner (or a user) running several Node processes side by side shares the cores out through these
function threadsFromEnv(name: string): number | undefined {
  const n = Number(process.env[name]);
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

export const nodeAdapter: PlatformAdapter = {
  platform: 'node',
  async importBackend(name) {
    const specifier = BACKEND_PACKAGES[name].packageName;
    // A variable specifier: bundlers must not try to resolve optional packages at build time.
    const mod = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
    // ESM importing a CJS package: prefer named exports, fall back to module.exports.
    const def = mod.default as Record<string, unknown> | undefined;
    return Object.keys(mod).length <= 1 && def != null && typeof def === 'object' ? def : mod;
  },
  isNotInstalled: isModuleNotFound,
  defaultWasmThreads() {
    return threadsFromEnv('LOGITLAB_WASM_THREADS') ?? Math.max(1, Math.min(MAX_DEFAULT_THREADS, this.hardwareThreads()));
  },
  hardwareThreads() {
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  },
  startNative(native, threads) {
    // OpenMP pools that outnumber the free cores spin against each other (a 2-thread conv ran 7-30x slower than 1 thread)
    return startNativeBackend(native, threads ?? threadsFromEnv('LOGITLAB_NATIVE_THREADS') ?? this.hardwareThreads(), () =>
      this.importBackend('cpu'),
    );
  },
  async startWebgpu(tfjsWebgpu, options) {
    return startWebgpuBackend(tfjsWebgpu, await importDawn(), options.webgpuAdapter);
  },
  autoSkipReason(name) {
    return name === 'webgpu' ? webgpuAutoSkipReason() : Promise.resolve(undefined);
  },
  async startWasm(wasm, threads, _options, start) {
    if (threads <= 1) {
      env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasm.setThreadsCount(1);
      return start();
    }
    return startWasmWithThreads(wasm, threads, start);
  },
};
