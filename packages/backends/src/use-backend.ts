import * as tf from '@tensorflow/tfjs-core';
import { BackendNotInstalledError, BackendUnavailableError, NoBackendAvailableError, UnknownBackendError, isBackendName } from './errors';
import { registerAllGradients } from './gradients';
import { quietCpuBanner } from './quiet-cpu';
import { ALL_BACKENDS, AUTO_ORDER, BACKEND_PACKAGES } from './packages';
import { errorMessage } from './platform';
import type { PlatformAdapter, WasmModule } from './platform';
import type { BackendInfo, BackendName, BackendStatus, ConcreteBackendName, UseBackendOptions, WebgpuAdapterInfo } from './types';
import { registerWasmTrainingKernels } from './wasm/register';
import { registerCpuFixes } from './cpu/register';
import { registerWebgpuTrainingKernels } from './webgpu/register';
import { registerWebglKernelFixes } from './webgl/register';

// A threaded start that neither succeeds nor fails within this time is abandoned for 1 thread.
const THREADED_START_TIMEOUT_MS = 30_000;

const startWasmBackend = () => tf.setBackend('wasm');

export interface BackendApi {
  useBackend(name?: BackendName, options?: UseBackendOptions): Promise<BackendInfo>;
  listBackends(): Promise<BackendStatus[]>;
}

export function createBackendApi(adapter: PlatformAdapter): BackendApi {
  async function load(name: ConcreteBackendName): Promise<Record<string, unknown>> {
    const { packageName, platforms } = BACKEND_PACKAGES[name];
    if (!platforms.includes(adapter.platform)) {
      throw new BackendUnavailableError(name, `it runs only in ${platforms.join(' and ')}, not in the ${adapter.platform}`);
    }
    try {
      return await adapter.importBackend(name);
    } catch (error) {
      if (adapter.isNotInstalled(error, packageName)) throw new BackendNotInstalledError(name, { cause: error });
      throw new BackendUnavailableError(name, `loading ${packageName} failed: ${errorMessage(error)}`, { cause: error });
    }
  }

  async function startWasm(wasm: WasmModule, options: UseBackendOptions): Promise<boolean> {
    registerWasmTrainingKernels();
    // Started before (e.g. the app switched away and back): threads and paths are fixed by now.
    if (tf.engine().registry.wasm != null) return tf.setBackend('wasm');
    const threads = Math.max(1, Math.floor(options.threads ?? adapter.defaultWasmThreads()));
    if (threads === 1) return adapter.startWasm(wasm, 1, options, startWasmBackend);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), THREADED_START_TIMEOUT_MS);
    });
    let started = false;
    try {
      started = await Promise.race([adapter.startWasm(wasm, threads, options, startWasmBackend), timeout]);
    } catch {
      started = false;
    } finally {
      clearTimeout(timer);
    }
    // The threaded build could not start here: the single-threaded SIMD build still can.
    return started || adapter.startWasm(wasm, 1, options, startWasmBackend);
  }

  let nativeThreads = 1;
  async function startNative(mod: Record<string, unknown>, options: UseBackendOptions): Promise<boolean> {
    if (!adapter.startNative) throw new BackendUnavailableError('native', `it runs only in Node, not in the ${adapter.platform}`);
    const r = await adapter.startNative(mod, options.threads);
    nativeThreads = r.threads;
    return r.started;
  }

  let webgpuAdapter: WebgpuAdapterInfo | undefined;
  async function startWebgpu(mod: Record<string, unknown>, options: UseBackendOptions): Promise<boolean> {
    // tfjs-backend-webgpu was imported by now (its stock kernels registered), in Node and in the browser
    registerWebgpuTrainingKernels();
    if (!adapter.startWebgpu) return tf.setBackend('webgpu');
    const r = await adapter.startWebgpu(mod, options);
    webgpuAdapter = r.adapter;
    return r.started;
  }

  async function describe(name: ConcreteBackendName, mod: Record<string, unknown>): Promise<BackendInfo> {
    const version = [mod[`version_${name}`], mod.version, tf.version_core].find((v): v is string => typeof v === 'string')!;
    let simd = false;
    let threads = 1;
    if (name === 'wasm') {
      simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      threads = (mod as unknown as WasmModule).getThreadsCount();
    } else if (name === 'native') {
      simd = true; // oneDNN and OpenBLAS pick AVX2 / AVX-512 kernels at run time
      threads = nativeThreads;
    } else if (name === 'tensorflow' || name === 'tensorflow-gpu') {
      simd = true; // libtensorflow's CPU kernels are vectorised (AVX) builds
      threads = adapter.hardwareThreads();
    }
    const info: BackendInfo = { name, platform: adapter.platform, simd, threads, version };
    if (name === 'webgpu' && webgpuAdapter) info.adapter = webgpuAdapter;
    return info;
  }

  async function activate(name: ConcreteBackendName, options: UseBackendOptions): Promise<BackendInfo> {
    const mod = await load(name);
    quietCpuBanner();
    if (name === 'cpu') registerCpuFixes();
    // tfjs-backend-webgl was imported by now (its stock kernels registered); it runs only in a browser
    if (name === 'webgl') registerWebglKernelFixes();
    const started =
      name === 'wasm'
        ? await startWasm(mod as unknown as WasmModule, options)
        : name === 'native'
          ? await startNative(mod, options)
          : name === 'webgpu'
            ? await startWebgpu(mod, options)
            : await tf.setBackend(BACKEND_PACKAGES[name].tfjsName);
    if (!started) throw new BackendUnavailableError(name, 'tfjs could not initialise it on this machine (see its warning above)');
    await tf.ready();
    // A backend can start and still fail on its first kernel (e.g. a GPU without the needed features).
    try {
      const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
      const value = (await probe.data())[0];
      probe.dispose();
      if (value !== 3) throw new Error(`1 + 2 gave ${value}`);
    } catch (error) {
      throw new BackendUnavailableError(name, `it started but could not compute: ${errorMessage(error)}`, { cause: error });
    }
    return describe(name, mod);
  }

  async function useBackend(name: BackendName = 'auto', options: UseBackendOptions = {}): Promise<BackendInfo> {
    if (!isBackendName(name)) throw new UnknownBackendError(name);
    registerAllGradients();
    if (name !== 'auto') return activate(name, options);
    const failures: Array<{ name: ConcreteBackendName; reason: string }> = [];
    for (const candidate of AUTO_ORDER[adapter.platform]) {
      try {
        const skip = await adapter.autoSkipReason?.(candidate);
        if (skip) {
          failures.push({ name: candidate, reason: skip });
          continue;
        }
        return await activate(candidate, options);
      } catch (error) {
        failures.push({ name: candidate, reason: errorMessage(error) });
      }
    }
    throw new NoBackendAvailableError(adapter.platform, failures);
  }

  async function listBackends(): Promise<BackendStatus[]> {
    const previous = tf.engine().backendName;
    const result: BackendStatus[] = [];
    for (const name of ALL_BACKENDS) {
      const { platforms } = BACKEND_PACKAGES[name];
      if (!platforms.includes(adapter.platform)) {
        // never loaded here: a browser backend is not "installed" in Node even when its package is on disk
        result.push({
          name,
          installed: false,
          works: false,
          reason: `runs only in ${platforms.join(' and ')}, not in the ${adapter.platform}`,
        });
        continue;
      }
      try {
        const info = await activate(name, {});
        result.push({ name, installed: true, works: true, ...(info.adapter ? { adapter: info.adapter } : {}) });
      } catch (error) {
        const installed = !(error instanceof BackendNotInstalledError);
        result.push({ name, installed, works: false, reason: errorMessage(error) });
      }
    }
    // Listing must not change which backend the caller computes on.
    if (previous) await tf.setBackend(previous);
    return result;
  }

  return { useBackend, listBackends };
}
