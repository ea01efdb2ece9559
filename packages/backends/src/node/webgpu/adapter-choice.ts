// Which GPU adapter Dawn (the `webgpu` npm package) gives the Node webgpu backend: a hardware adapter
// through Vulkan first, then OpenGL (on a machine without a GPU, Mesa's llvmpipe), then a software
// fallback adapter. Dawn rejects Debian 12's lavapipe (Vulkan on the CPU) for missing indexing
// features, so without a GPU OpenGL on llvmpipe is what works.
import { BackendUnavailableError } from '../../errors';
import { errorMessage } from '../../platform';
import type { WebgpuAdapterInfo, WebgpuAdapterKind } from '../../types';
import type { DawnModule, GpuAdapterLike, GpuLike } from './dawn-types';

export const WEBGPU_ADAPTER_KINDS: readonly WebgpuAdapterKind[] = ['vulkan', 'opengl', 'software'];
export const WEBGPU_ADAPTER_ENV = 'LOGITLAB_WEBGPU_ADAPTER';
export const GL_PACKAGES = 'libegl1 libegl-mesa0 libgl1-mesa-dri';
export const VULKAN_PACKAGES = 'libvulkan1 mesa-vulkan-drivers';

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software/i;

export interface ChosenAdapter {
  gpu: GpuLike;
  adapter: GpuAdapterLike;
  info: WebgpuAdapterInfo;
}

/** The order to try: `preference` (an option, else LOGITLAB_WEBGPU_ADAPTER) alone, or every kind. */
export function adapterOrder(preference: string | undefined): readonly WebgpuAdapterKind[] {
  const wanted = preference ?? process.env[WEBGPU_ADAPTER_ENV];
  if (wanted == null || wanted === '' || wanted === 'auto') return WEBGPU_ADAPTER_KINDS;
  if (!(WEBGPU_ADAPTER_KINDS as readonly string[]).includes(wanted)) {
    throw new BackendUnavailableError(
      'webgpu',
      `unknown adapter ${JSON.stringify(wanted)} (from ${preference != null ? 'the webgpuAdapter option' : WEBGPU_ADAPTER_ENV}); expected one of 'auto', ${WEBGPU_ADAPTER_KINDS.map((k) => `'${k}'`).join(', ')}`,
    );
  }
  return [wanted as WebgpuAdapterKind];
}

function describeAdapter(kind: WebgpuAdapterKind, adapter: GpuAdapterLike, featureLevel: 'core' | 'compatibility'): WebgpuAdapterInfo {
  const i = adapter.info ?? {};
  const name = [i.description, i.device, i.vendor].find((s) => typeof s === 'string' && s !== '') ?? 'unnamed adapter';
  const text = [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' ');
  const software = kind === 'software' || adapter.isFallbackAdapter === true || i.isFallbackAdapter === true || SOFTWARE.test(text);
  return {
    name: [i.device, i.description].filter(Boolean).join(', ') || name,
    type: software ? 'software' : 'hardware',
    api: kind === 'opengl' ? 'opengl' : 'vulkan',
    featureLevel,
  };
}

// A core adapter when the driver offers one, else compatibility mode (OpenGL ES / GL 4.5 offers only that).
async function requestAdapter(
  gpu: GpuLike,
  fallback: boolean,
): Promise<{ adapter: GpuAdapterLike; level: 'core' | 'compatibility' } | null> {
  const base = { powerPreference: 'high-performance' as const, ...(fallback ? { forceFallbackAdapter: true } : {}) };
  const core = await gpu.requestAdapter(base);
  if (core) return { adapter: core, level: 'core' };
  const compat = await gpu.requestAdapter({ ...base, featureLevel: 'compatibility' });
  return compat ? { adapter: compat, level: 'compatibility' } : null;
}

async function tryKind(dawn: DawnModule, kind: WebgpuAdapterKind): Promise<ChosenAdapter | string> {
  try {
    const gpu = dawn.create([kind === 'opengl' ? 'backend=opengl' : 'backend=vulkan']);
    const got = await requestAdapter(gpu, kind === 'software');
    if (!got) {
      return kind === 'opengl'
        ? `opengl: no adapter (needs EGL and Mesa: apt-get install ${GL_PACKAGES})`
        : `${kind}: no adapter (needs a Vulkan driver: apt-get install ${VULKAN_PACKAGES})`;
    }
    const info = describeAdapter(kind, got.adapter, got.level);
    // 'vulkan' is the hardware choice: a CPU Vulkan driver (lavapipe) counts as 'software', tried last
    if (kind === 'vulkan' && info.type === 'software') return `vulkan: only a software adapter (${info.name})`;
    return { gpu, adapter: got.adapter, info };
  } catch (error) {
    return `${kind}: ${errorMessage(error)}`;
  }
}

/**
 * The first adapter of `order` Dawn can open. EGL needs a platform without a display server; it is
 * set to surfaceless only when the user set none and no display is there.
 */
export async function chooseAdapter(dawn: DawnModule, order: readonly WebgpuAdapterKind[]): Promise<ChosenAdapter> {
  const env = process.env;
  if (env.EGL_PLATFORM == null && env.DISPLAY == null && env.WAYLAND_DISPLAY == null) env.EGL_PLATFORM = 'surfaceless';
  const failures: string[] = [];
  for (const kind of order) {
    const got = await tryKind(dawn, kind);
    if (typeof got !== 'string') return got;
    failures.push(got);
  }
  throw new BackendUnavailableError('webgpu', `Dawn found no usable adapter (${failures.join('; ')})`);
}
