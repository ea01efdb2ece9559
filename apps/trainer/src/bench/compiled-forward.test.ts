// compileForward on every bench workload's eval forward, per backend: the eager outputs (bit for bit on
// cpu, 1e-6 relative on wasm and native, where fusion may reorder float sums), nothing leaked, and on
// native the whole forward in one addon call where the addon has every instruction.
import * as tf from '@tensorflow/tfjs-core';
import { backendDataIds } from '@logitlab/backends/compat';
import { manualSeed } from '@logitlab/layers';
import { compileForward } from '@logitlab/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkload } from './workloads';
import { relativeError } from '../../../../scripts/test-utils/relative-error';
import { enterBackend } from '../compile-matrix/enter-backend';

const BATCH = 4;
// eval-mode BatchNorm is one FusedBatchNorm kernel, which the addon's plan lacks: that forward replays kernel by kernel
const NATIVE_KERNEL_LOOP: Record<string, string> = { 'bn-mlp': 'FusedBatchNorm has no native plan instruction' };
const CALLS = 4;
const counts = () => [tf.memory().numTensors, backendDataIds()];
const bits = (v: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(v).buffer));

for (const backend of ['cpu', 'wasm', 'native'] as const) {
  describe(`compiled eval forward of the bench workloads on ${backend}`, () => {
    let skip: string | undefined;
    beforeAll(async () => {
      skip = await enterBackend(backend, 'compiled forwards');
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    for (const name of ['convnet', 'sumpool-mlp', 'vae', 'bn-mlp'])
      it(name, async (ctx) => {
        if (skip) ctx.skip();
        if (tf.getBackend() !== backend) await tf.setBackend(backend);
        manualSeed(1);
        const w = buildWorkload(name);
        const x = tf.tidy(() => tf.slice(w.x, 0, BATCH));
        w.model.eval();
        const eager = tf.tidy(() => w.model.call(x));
        const want = eager.dataSync().slice();
        eager.dispose();
        const told: string[] = [];
        const forward = compileForward(w.model, { onFallback: (r) => told.push(r) });
        tf.dispose(forward.call(x)); // the trace
        const before = counts();
        for (let i = 0; i < CALLS; i++) {
          const out = forward.call(x);
          const got = out.dataSync();
          out.dispose();
          if (backend === 'cpu') expect(bits(got)).toEqual(bits(want));
          else expect(relativeError(got, want)).toBeLessThanOrEqual(1e-6);
        }
        expect(counts()).toEqual(before);
        expect(told).toEqual([]);
        expect(forward.stats).toMatchObject({ traces: 1, replays: CALLS, eager: 0 });
        const why = NATIVE_KERNEL_LOOP[name];
        if (backend === 'native')
          expect(forward.stats.plan).toMatchObject(why ? { executor: 'kernels', executorFallback: why } : { executor: 'backend' });
        forward.dispose();
        x.dispose();
        w.dispose();
      });
  });
}
