import { describe, expect, it } from 'vitest';
import { adapterNote } from './commands/backends';
import { backendLabel } from './commands/bench';

const llvmpipe = { name: 'llvmpipe, OpenGL 4.5 Mesa 22.3.6', type: 'software', api: 'opengl', featureLevel: 'compatibility' } as const;
const gpu = { name: 'NVIDIA H100', type: 'hardware', api: 'vulkan', featureLevel: 'core' } as const;

describe('webgpu adapter labels', () => {
  it('bench rows name the adapter, and a software adapter is correctness only', () => {
    expect(backendLabel('webgpu', llvmpipe)).toBe(
      'webgpu (llvmpipe, OpenGL 4.5 Mesa 22.3.6; software adapter: correctness only, not speed)',
    );
    expect(backendLabel('webgpu', gpu)).toBe('webgpu (NVIDIA H100; vulkan)');
    expect(backendLabel('native', gpu)).toBe('native');
    expect(backendLabel('webgpu', undefined)).toBe('webgpu');
  });

  it('logitlab backends notes the adapter type, API and feature level', () => {
    expect(adapterNote(llvmpipe)).toBe(
      'llvmpipe, OpenGL 4.5 Mesa 22.3.6 (software, opengl, compatibility; correct but slower than the CPU backends)',
    );
    expect(adapterNote(gpu)).toBe('NVIDIA H100 (hardware, vulkan, core)');
    expect(adapterNote(undefined)).toBe('');
  });
});
