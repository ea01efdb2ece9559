// Everything both entry points export besides useBackend/listBackends.
export type {
  BackendInfo,
  BackendName,
  BackendStatus,
  ConcreteBackendName,
  Platform,
  UseBackendOptions,
  WebgpuAdapterInfo,
  WebgpuAdapterKind,
  WasmBinaryName,
  WasmPaths,
} from './types';
export {
  BackendNotInstalledError,
  BackendUnavailableError,
  NoBackendAvailableError,
  SyncReadUnavailableError,
  UnknownBackendError,
} from './errors';
export { GradientsNotRegisteredError, registerAllGradients } from './gradients';
export { registerWasmTrainingKernels } from './wasm/register';
export { AUTO_ORDER, BACKEND_PACKAGES, TFJS_VERSION } from './packages';
export { registeredVariables } from './compat/registered-variables';
export { cacheOnHost, type OnSyncReadableBackend, type SyncReadableOptions } from './sync-readable';
export { quietCpuBanner } from './quiet-cpu';
