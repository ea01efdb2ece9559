// The GEMMs must survive signals: oneDNN's sgemm API points the stack pointer into the heap while its
// JIT kernels run, so a signal delivered then (a CPU profiler's SIGPROF, a handled SIGINT) corrupted the
// heap (oneDNN issue #4845): `node --cpu-prof` aborted within seconds with "corrupted size vs. prev_size".
// A child process runs the VAE's GEMM shapes under a fast-sampling profiler; it has to exit cleanly.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_OPS, loadNative } from '@logitlab/native';
import { untestableReason } from '../../test/kernel-test-util';

const skip = await untestableReason('native');

// matMul as the eager kernel calls it: a one-instruction plan (run-op.ts), slots 0-2 all of a, b and c, no bias
const child = `
const addon = require(process.argv[1]);
const matMul = ${PLAN_OPS.findIndex((o) => o.name === 'matMul')};
addon.setThreads(1);
const shapes = [[128, 30, 784, false, false], [784, 30, 128, true, false], [30, 784, 128, true, false], [128, 30, 784, false, true]];
const bufs = shapes.map(([m, n, k]) => [new Float32Array(m * k).fill(0.5), new Float32Array(k * n).fill(0.25), new Float32Array(m * n)]);
const end = Date.now() + 3000;
for (let it = 0; Date.now() < end; it++) {
  shapes.forEach(([m, n, k, ta, tb], i) => {
    const [a, b, c] = bufs[i];
    const code = Int32Array.from([matMul, 14, 0, 1, 2, -1, 0, 1, 1, m, n, k, ta ? 1 : 0, tb ? 1 : 0, 0, 0]);
    addon.runPlan(code, Int32Array.from([0, 0, a.byteLength, 1, 0, b.byteLength, 2, 0, c.byteLength]), [a, b, c]);
    if (c[0] !== k * 0.125) throw new Error('wrong product ' + c[0]);
    if (it % 50 === 0) bufs[i][2] = new Float32Array(m * n); // heap churn, so a corrupted chunk is found
  });
}
`;

describe.skipIf(skip !== undefined)('native GEMMs under a sampling profiler (signals)', () => {
  it('run for 3 s under node --cpu-prof without corrupting the heap', () => {
    const loaded = loadNative();
    if (!loaded.ok) throw new Error(loaded.reason);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-signals-'));
    try {
      const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '50', '--cpu-prof-dir', dir, '-e', child, loaded.path], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, LOGITLAB_NATIVE_GEMM: '' },
      });
      expect(`${r.stderr}`.trim(), 'child stderr').toBe('');
      expect(r.signal, 'killed by').toBeNull();
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
