import { BACKEND_PACKAGES, installCommand } from './packages';
import type { BackendName, ConcreteBackendName, Platform } from './types';
import { LogitlabError } from '@logitlab/core';

/** The npm package that provides a backend is not installed. */
export class BackendNotInstalledError extends LogitlabError {
  override name = 'BackendNotInstalledError';
  readonly backend: ConcreteBackendName;
  readonly packageName: string;
  readonly installCommand: string;
  /** `packageName`: the missing package when it is not the backend's own (webgpu in Node: `webgpu`). */
  constructor(backend: ConcreteBackendName, options?: { cause?: unknown; packageName?: string }) {
    const packageName = options?.packageName ?? BACKEND_PACKAGES[backend].packageName;
    const command = installCommand(packageName);
    super(`Backend '${backend}' needs the package ${packageName}, which is not installed. Install it with: ${command}`, options);
    this.backend = backend;
    this.packageName = packageName;
    this.installCommand = command;
  }
}

/** The backend's package is installed but the backend cannot run here (wrong platform, no GPU, init failed). */
export class BackendUnavailableError extends LogitlabError {
  override name = 'BackendUnavailableError';
  readonly backend: ConcreteBackendName;
  constructor(backend: ConcreteBackendName, reason: string, options?: { cause?: unknown }) {
    super(`Backend '${backend}' is not available: ${reason}`, options);
    this.backend = backend;
  }
}

/** The active backend cannot read a tensor back synchronously (webgpu in Node has no OffscreenCanvas). */
export class SyncReadUnavailableError extends LogitlabError {
  override name = 'SyncReadUnavailableError';
  readonly backend: ConcreteBackendName;
  constructor(backend: ConcreteBackendName) {
    super(
      `Backend '${backend}' cannot read a tensor back synchronously here (dataSync, arraySync, bufferSync); ` +
        `expected an asynchronous read: await tensor.data() or tensor.array()`,
    );
    this.backend = backend;
  }
}

/** `useBackend` got a name it does not know. */
export class UnknownBackendError extends LogitlabError {
  override name = 'UnknownBackendError';
  constructor(name: unknown) {
    super(
      `Unknown backend ${JSON.stringify(name)}; expected one of 'auto', 'cpu', 'wasm', 'native', 'webgl', 'webgpu', 'tensorflow', 'tensorflow-gpu'.`,
    );
  }
}

/** 'auto' found nothing that works. */
export class NoBackendAvailableError extends LogitlabError {
  override name = 'NoBackendAvailableError';
  readonly failures: ReadonlyArray<{ name: ConcreteBackendName; reason: string }>;
  constructor(platform: Platform, failures: ReadonlyArray<{ name: ConcreteBackendName; reason: string }>) {
    super(
      `No backend works on this ${platform}: ${failures.map((f) => `${f.name}: ${f.reason}`).join('; ')}. ` +
        `Install the cpu backend at least: ${installCommand(BACKEND_PACKAGES.cpu.packageName)}`,
    );
    this.failures = failures;
  }
}

export function isBackendName(name: unknown): name is BackendName {
  return name === 'auto' || (typeof name === 'string' && name in BACKEND_PACKAGES);
}
