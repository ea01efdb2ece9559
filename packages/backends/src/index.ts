// @logitlab/backends, Node entry: picks, loads and makes trainable any TensorFlow.js backend.
import { nodeAdapter } from './node/adapter';
import type { BackendInfo, BackendName, BackendStatus, UseBackendOptions } from './types';
import { quietCpuBanner } from './quiet-cpu';
import { type OnSyncReadableBackend, syncReadableRunner } from './sync-readable';
import { createBackendApi } from './use-backend';

export * from './shared-exports';

// a cpu backend the app registered before importing us stays quiet too
quietCpuBanner();

const api = createBackendApi(nodeAdapter);

/**
 * Loads backend `name` (default 'auto': the fastest that works here), makes it the active tfjs
 * backend with every gradient registered, and describes it. Call again to switch at runtime.
 */
export function useBackend(name: BackendName = 'auto', options: UseBackendOptions = {}): Promise<BackendInfo> {
  return api.useBackend(name, options);
}

/** Which backends are installed and work here (it briefly starts each; the active one is restored). */
export function listBackends(): Promise<BackendStatus[]> {
  return api.listBackends();
}

/**
 * Runs fn where synchronous reads are dependable: here, or (on webgpu, or a backend without sync reads)
 * on the first of `fallbacks` that starts (native, wasm, cpu), after reading `keep` back asynchronously;
 * the active backend is restored. Resolves to fn's value and the backend it ran on.
 */
export const onSyncReadableBackend: OnSyncReadableBackend = syncReadableRunner((name) => api.useBackend(name), nodeAdapter.platform);
