export type BackendName = 'cpu' | 'wasm' | 'native' | 'webgl' | 'webgpu' | 'tensorflow' | 'tensorflow-gpu' | 'auto';
export type ConcreteBackendName = Exclude<BackendName, 'auto'>;
export type Platform = 'node' | 'browser';

/** What `useBackend` resolved to. */
export interface BackendInfo {
  name: ConcreteBackendName;
  platform: Platform;
  /** Whether the backend runs SIMD code (wasm: the SIMD binary was loaded; tfjs-node: libtensorflow's CPU kernels). */
  simd: boolean;
  /** Worker threads the backend computes with (wasm: XNNPACK's pool; 1 when single-threaded). */
  threads: number;
  /** Version of the backend package that is running. */
  version: string;
  /** webgpu in Node: the GPU adapter Dawn opened. */
  adapter?: WebgpuAdapterInfo;
}

/** Where the Node webgpu backend looks for an adapter: Vulkan (a GPU), OpenGL (Mesa, e.g. llvmpipe), a software fallback. */
export type WebgpuAdapterKind = 'vulkan' | 'opengl' | 'software';

export interface WebgpuAdapterInfo {
  /** Dawn's device and description strings, e.g. 'llvmpipe (LLVM 15.0.6, 256 bits), OpenGL version 4.5 ...'. */
  name: string;
  /** 'software' for CPU emulations (llvmpipe, lavapipe, SwiftShader): correct, but no faster than wasm. */
  type: 'hardware' | 'software';
  api: 'vulkan' | 'opengl';
  featureLevel: 'core' | 'compatibility';
}

/** Where the browser fetches the wasm binaries: a folder URL (ending in '/') or one URL per binary file name. */
export type WasmPaths = string | Record<WasmBinaryName, string>;
export type WasmBinaryName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

export interface UseBackendOptions {
  /**
   * wasm: threads for XNNPACK; native: threads for oneDNN and OpenBLAS (default: every logical core). Default: Node, the logical cores (capped at 4); browser, the
   * logical cores when the page is cross-origin isolated, else 1. Fixed once the wasm backend started.
   */
  threads?: number;
  /** wasm in the browser only: override where the .wasm binaries are fetched from (default: bundled URLs). */
  wasmPaths?: WasmPaths;
  /**
   * webgpu in Node: which adapter to open ('auto': vulkan, then opengl, then software). Default: the
   * LOGITLAB_WEBGPU_ADAPTER environment variable, else 'auto'. Fixed once the backend started.
   */
  webgpuAdapter?: WebgpuAdapterKind | 'auto';
}

export interface BackendStatus {
  name: ConcreteBackendName;
  /** The backend's npm package can be loaded. */
  installed: boolean;
  /** The backend initialised (and ran a tiny op) on this machine. */
  works: boolean;
  /** Why it is not installed or does not work. */
  reason?: string;
  /** webgpu in Node: the adapter it runs on. */
  adapter?: WebgpuAdapterInfo;
}
