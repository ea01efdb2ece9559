import type { ConcreteBackendName, Platform } from './types';

export const TFJS_VERSION = '4.22.0';

interface BackendPackage {
  /** npm package that provides the backend. */
  packageName: string;
  /** Name the package registers the backend under in tfjs-core. */
  tfjsName: string;
  platforms: readonly Platform[];
  /** How to install it, when not `npm install <packageName>@<tfjs version>`. */
  install?: string;
  /** What else it needs in Node besides its package (webgpu: Dawn's binding and the GL libraries). */
  nodeRuntime?: { packageName: string; install: string };
}

export const BACKEND_PACKAGES: Record<ConcreteBackendName, BackendPackage> = {
  cpu: { packageName: '@tensorflow/tfjs-backend-cpu', tfjsName: 'cpu', platforms: ['node', 'browser'] },
  wasm: { packageName: '@tensorflow/tfjs-backend-wasm', tfjsName: 'wasm', platforms: ['node', 'browser'] },
  // our addon (oneDNN + OpenBLAS) over tfjs-backend-cpu's storage and kernels; built at install when the
  // system has the libraries
  native: {
    packageName: '@logitlab/native',
    tfjsName: 'native',
    platforms: ['node'],
    install: 'apt-get install libdnnl-dev libopenblas-dev && npm install @logitlab/native',
  },
  webgl: { packageName: '@tensorflow/tfjs-backend-webgl', tfjsName: 'webgl', platforms: ['browser'] },
  // in Node, on Dawn: the `webgpu` package ships a prebuilt dawn.node; without a GPU, Mesa's EGL/llvmpipe runs it
  webgpu: {
    packageName: '@tensorflow/tfjs-backend-webgpu',
    tfjsName: 'webgpu',
    platforms: ['node', 'browser'],
    nodeRuntime: { packageName: 'webgpu', install: 'apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri && npm install webgpu@0.6.2' },
  },
  tensorflow: { packageName: '@tensorflow/tfjs-node', tfjsName: 'tensorflow', platforms: ['node'] },
  'tensorflow-gpu': { packageName: '@tensorflow/tfjs-node-gpu', tfjsName: 'tensorflow', platforms: ['node'] },
};

/** Fastest first: what 'auto' tries, in order. */
export const AUTO_ORDER: Record<Platform, readonly ConcreteBackendName[]> = {
  node: ['native', 'webgpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'],
  browser: ['webgpu', 'webgl', 'wasm', 'cpu'],
};

export const ALL_BACKENDS: readonly ConcreteBackendName[] = ['cpu', 'wasm', 'native', 'webgl', 'webgpu', 'tensorflow', 'tensorflow-gpu'];

export function installCommand(packageName: string): string {
  const packages = Object.values(BACKEND_PACKAGES);
  const own = packages.find((p) => p.packageName === packageName)?.install;
  const runtime = packages.find((p) => p.nodeRuntime?.packageName === packageName)?.nodeRuntime?.install;
  return own ?? runtime ?? `npm install ${packageName}@${TFJS_VERSION}`;
}
