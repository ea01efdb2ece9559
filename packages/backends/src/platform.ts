// What differs between the Node and the browser entry points; use-backend.ts holds the shared logic.
import type { ConcreteBackendName, Platform, UseBackendOptions, WebgpuAdapterInfo } from './types';

/** The part of @tensorflow/tfjs-backend-wasm's exports we use. */
export interface WasmModule {
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
  setWasmPaths(prefixOrFileMap: string | Record<string, string>, usePlatformFetch?: boolean): void;
  version_wasm?: string;
}

export interface PlatformAdapter {
  platform: Platform;
  /** Imports the backend's package; rejects with the loader's own error when it is missing. */
  importBackend(name: ConcreteBackendName): Promise<Record<string, unknown>>;
  /** Whether `error` says that `packageName` itself (not one of its dependencies) is missing. */
  isNotInstalled(error: unknown, packageName: string): boolean;
  /** Threads wasm uses when the caller does not say. */
  defaultWasmThreads(): number;
  /** Logical cores of the machine (reported for native backends). */
  hardwareThreads(): number;
  /**
   * Runs `start` (which initialises the wasm backend) with whatever the platform needs for `threads`
   * threads in place, and undoes it afterwards. Resolves to whether start succeeded.
   */
  startWasm(wasm: WasmModule, threads: number, options: UseBackendOptions, start: () => Promise<boolean>): Promise<boolean>;
  /**
   * Why `auto` should pass over `name` here although it would start (a software GPU emulation is far
   * slower than wasm), or undefined to take it. Asking for the backend by name still uses it.
   */
  autoSkipReason?(name: ConcreteBackendName): Promise<string | undefined>;
  /**
   * Node only: registers and starts the 'native' backend from the imported @logitlab/native module;
   * rejects with a BackendUnavailableError naming the reason (addon not built, libraries missing).
   */
  startNative?(native: Record<string, unknown>, threads: number | undefined): Promise<{ started: boolean; threads: number }>;
  /**
   * Node only: starts tfjs-backend-webgpu (the imported module) on Dawn's adapter; rejects with a typed
   * error naming the missing package or libraries. The browser starts webgpu through tfjs's own factory.
   */
  startWebgpu?(tfjsWebgpu: Record<string, unknown>, options: UseBackendOptions): Promise<{ started: boolean; adapter: WebgpuAdapterInfo }>;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error != null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

/**
 * Whether a failed import says that `packageName` itself (not one of its dependencies) cannot be
 * found: Node ESM ("Cannot find package 'x'"), Node CJS ("Cannot find module 'x'"), Vite/vitest
 * ("Could not resolve \"x\"", "Failed to resolve import \"x\"").
 */
export function isModuleNotFound(error: unknown, packageName: string): boolean {
  const message = errorMessage(error);
  const named = message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
  return (
    named && /Cannot find (module|package)|Could not resolve|Failed to resolve|Failed to fetch dynamically imported module/i.test(message)
  );
}
