import { describe, expect, it } from 'vitest';
import { listBackends } from './index';

describe('listBackends in Node', () => {
  it('does not call the browser-only backends installed, because they cannot run here', { timeout: 120_000 }, async () => {
    const all = await listBackends();
    const webgl = all.find((s) => s.name === 'webgl');
    expect(webgl).toMatchObject({ installed: false, works: false });
    expect(webgl?.reason).toMatch(/runs only in browser/);
    expect(all.find((s) => s.name === 'cpu')).toMatchObject({ installed: true, works: true });
  });

  it('webgpu (Dawn): works and names its adapter, or says why not and how to install', { timeout: 120_000 }, async () => {
    const webgpu = (await listBackends()).find((s) => s.name === 'webgpu')!;
    if (webgpu.works) expect(webgpu.adapter?.name).toBeTruthy();
    else expect(webgpu.reason).toMatch(/webgpu/);
    if (!webgpu.installed) expect(webgpu.reason).toContain('npm install webgpu@');
  });
});
