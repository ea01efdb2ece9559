// The part of the `webgpu` package (Dawn's Node binding) and of the WebGPU API we touch, typed here so
// neither the package nor @webgpu/types is needed to build.
export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
  readonly features: ReadonlySet<string>;
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: { requiredFeatures?: string[]; requiredLimits?: Record<string, number> }): Promise<GpuDeviceLike>;
}

export interface GpuDeviceLike {
  destroy(): void;
}

export interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'high-performance' | 'low-power';
    forceFallbackAdapter?: boolean;
    featureLevel?: 'core' | 'compatibility';
  }): Promise<GpuAdapterLike | null>;
}

export interface DawnModule {
  create(flags: string[]): GpuLike;
  /** GPUBufferUsage, GPUMapMode, ...: the browser's globals, which tfjs-backend-webgpu reads. */
  globals: Record<string, unknown>;
}
