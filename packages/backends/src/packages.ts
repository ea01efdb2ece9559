import type { ConcreteBackendName, Platform } from './types';

export const TFJS_VERSION = '4.22.0';

interface BackendPackage {
  /** npm package that provides the backend. */
  packageName: string;
  /** Name the package registers the backend under in tfjs-core. */
  tfjsName: string;
  platforms: readonly Platform[];
}

export const BACKEND_PACKAGES: Record<ConcreteBackendName, BackendPackage> = {
  cpu: { packageName: '@tensorflow/tfjs-backend-cpu', tfjsName: 'cpu', platforms: ['node', 'browser'] },
  wasm: { packageName: '@tensorflow/tfjs-backend-wasm', tfjsName: 'wasm', platforms: ['node', 'browser'] },
  webgl: { packageName: '@tensorflow/tfjs-backend-webgl', tfjsName: 'webgl', platforms: ['browser'] },
  webgpu: { packageName: '@tensorflow/tfjs-backend-webgpu', tfjsName: 'webgpu', platforms: ['browser'] },
  tensorflow: { packageName: '@tensorflow/tfjs-node', tfjsName: 'tensorflow', platforms: ['node'] },
  'tensorflow-gpu': { packageName: '@tensorflow/tfjs-node-gpu', tfjsName: 'tensorflow', platforms: ['node'] },
};

/** Fastest first: what 'auto' tries, in order. */
export const AUTO_ORDER: Record<Platform, readonly ConcreteBackendName[]> = {
  node: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'],
  browser: ['webgpu', 'webgl', 'wasm', 'cpu'],
};

export const ALL_BACKENDS: readonly ConcreteBackendName[] = ['cpu', 'wasm', 'webgl', 'webgpu', 'tensorflow', 'tensorflow-gpu'];

export function installCommand(packageName: string): string {
  return `npm install ${packageName}@${TFJS_VERSION}`;
}
