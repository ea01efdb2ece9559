// Adapter choice against a fake Dawn: which adapter wins, the compatibility retry, and the reasons
// (with the apt-get line) when none opens. No GPU or `webgpu` package needed.
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../errors';
import { adapterOrder, chooseAdapter, GL_PACKAGES, WEBGPU_ADAPTER_ENV } from './adapter-choice';
import type { DawnModule, GpuAdapterLike } from './dawn-types';

function fakeAdapter(device: string, description: string, isFallbackAdapter = false): GpuAdapterLike {
  return {
    info: { vendor: '', architecture: '', device, description, isFallbackAdapter },
    features: new Set(),
    limits: {},
    requestDevice: async () => ({ destroy: () => undefined }),
  };
}

// per backend flag: the adapter a core request gets, and the one a compatibility request gets
type Offer = { core?: GpuAdapterLike; compat?: GpuAdapterLike; fallback?: GpuAdapterLike; throws?: string };
function fakeDawn(offers: Partial<Record<'backend=vulkan' | 'backend=opengl', Offer>>): DawnModule & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    globals: {},
    create(flags) {
      const flag = flags[0] as 'backend=vulkan' | 'backend=opengl';
      const offer = offers[flag] ?? {};
      if (offer.throws) throw new Error(offer.throws);
      return {
        async requestAdapter(options = {}) {
          asked.push(`${flag}:${options.forceFallbackAdapter ? 'fallback' : (options.featureLevel ?? 'core')}`);
          if (options.forceFallbackAdapter) return offer.fallback ?? null;
          return (options.featureLevel === 'compatibility' ? offer.compat : offer.core) ?? null;
        },
      };
    },
  };
}

const gpu = fakeAdapter('NVIDIA H100', 'Vulkan driver 550');
const llvmpipe = fakeAdapter('llvmpipe-llvm-15', 'OpenGL version 4.5 (Core Profile) Mesa 22.3.6');

afterEach(() => {
  delete process.env[WEBGPU_ADAPTER_ENV];
});

describe('webgpu adapter choice in Node', () => {
  it('takes a hardware Vulkan adapter first', async () => {
    const dawn = fakeDawn({ 'backend=vulkan': { core: gpu }, 'backend=opengl': { compat: llvmpipe } });
    const chosen = await chooseAdapter(dawn, adapterOrder(undefined));
    expect(chosen.info).toEqual({ name: 'NVIDIA H100, Vulkan driver 550', type: 'hardware', api: 'vulkan', featureLevel: 'core' });
    expect(dawn.asked).toEqual(['backend=vulkan:core']);
  });

  it('passes over a software Vulkan adapter (lavapipe) for OpenGL, retrying in compatibility mode', async () => {
    const lavapipe = fakeAdapter('llvmpipe (LLVM 15.0.6, 256 bits)', 'Mesa lavapipe');
    const dawn = fakeDawn({ 'backend=vulkan': { core: lavapipe }, 'backend=opengl': { compat: llvmpipe } });
    const chosen = await chooseAdapter(dawn, adapterOrder(undefined));
    expect(chosen.info).toMatchObject({ type: 'software', api: 'opengl', featureLevel: 'compatibility' });
    expect(dawn.asked).toEqual(['backend=vulkan:core', 'backend=opengl:core', 'backend=opengl:compatibility']);
  });

  it('sets EGL_PLATFORM=surfaceless only when the user set none and there is no display', async () => {
    const saved = { EGL_PLATFORM: process.env.EGL_PLATFORM, DISPLAY: process.env.DISPLAY, WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY };
    try {
      delete process.env.EGL_PLATFORM;
      delete process.env.DISPLAY;
      delete process.env.WAYLAND_DISPLAY;
      await chooseAdapter(fakeDawn({ 'backend=opengl': { compat: llvmpipe } }), ['opengl']);
      expect(process.env.EGL_PLATFORM).toBe('surfaceless');
      process.env.EGL_PLATFORM = 'x11';
      await chooseAdapter(fakeDawn({ 'backend=opengl': { compat: llvmpipe } }), ['opengl']);
      expect(process.env.EGL_PLATFORM).toBe('x11');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('the option, else LOGITLAB_WEBGPU_ADAPTER, restricts the search to one kind', async () => {
    const dawn = fakeDawn({ 'backend=vulkan': { core: gpu }, 'backend=opengl': { compat: llvmpipe } });
    expect((await chooseAdapter(dawn, adapterOrder('opengl'))).info.api).toBe('opengl');
    process.env[WEBGPU_ADAPTER_ENV] = 'opengl';
    expect(adapterOrder(undefined)).toEqual(['opengl']);
    expect(adapterOrder('auto')).toEqual(['vulkan', 'opengl', 'software']);
    process.env[WEBGPU_ADAPTER_ENV] = 'auto';
    expect(adapterOrder(undefined)).toEqual(['vulkan', 'opengl', 'software']);
  });

  it('a software fallback adapter is the last resort', async () => {
    const swiftshader = fakeAdapter('SwiftShader Device', 'SwiftShader driver', true);
    const dawn = fakeDawn({ 'backend=vulkan': { fallback: swiftshader }, 'backend=opengl': { throws: 'EGL: no display' } });
    const chosen = await chooseAdapter(dawn, adapterOrder(undefined));
    expect(chosen.info).toMatchObject({ type: 'software', api: 'vulkan' });
  });

  it('an unknown adapter kind is a typed error naming the value, its source and the choices', () => {
    expect(() => adapterOrder('metal')).toThrow(BackendUnavailableError);
    expect(() => adapterOrder('metal')).toThrow(
      /unknown adapter "metal" \(from the webgpuAdapter option\); expected one of 'auto', 'vulkan'/,
    );
    process.env[WEBGPU_ADAPTER_ENV] = 'cuda';
    expect(() => adapterOrder(undefined)).toThrow(/"cuda" \(from LOGITLAB_WEBGPU_ADAPTER\)/);
  });

  it('no adapter anywhere: a typed error with every reason and the apt-get line for the GL libraries', async () => {
    const error = await chooseAdapter(
      fakeDawn({ 'backend=opengl': { throws: 'libEGL.so.1: cannot open shared object file' } }),
      adapterOrder(undefined),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('vulkan: no adapter (needs a Vulkan driver: apt-get install');
    expect(message).toContain('opengl: libEGL.so.1: cannot open shared object file');
    expect(message).toContain('software: no adapter');
    const noGl = await chooseAdapter(fakeDawn({}), ['opengl']).catch((e: unknown) => e);
    expect((noGl as Error).message).toContain(`apt-get install ${GL_PACKAGES}`);
  });
});
