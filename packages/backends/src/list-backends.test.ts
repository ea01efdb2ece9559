import { describe, expect, it } from 'vitest';
import { listBackends } from './index';

describe('listBackends in Node', () => {
  it('does not call the browser-only backends installed, because they cannot run here', async () => {
    const all = await listBackends();
    for (const name of ['webgl', 'webgpu'] as const) {
      const status = all.find((s) => s.name === name);
      expect(status).toMatchObject({ installed: false, works: false });
      expect(status?.reason).toMatch(/runs only in browser/);
    }
    expect(all.find((s) => s.name === 'cpu')).toMatchObject({ installed: true, works: true });
  });
});
