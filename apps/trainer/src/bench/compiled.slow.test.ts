import * as tf from '@tensorflow/tfjs-core';
import { backendDataIds } from '@logitlab/backends/compat';
import { manualSeed, type Module } from '@logitlab/layers';
import { compileStep, type StepOptions, trainStep } from '@logitlab/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkload } from './workloads';
import { relativeError } from '../../../../scripts/test-utils/relative-error';
import { enterBackend } from '../compile-matrix/enter-backend';

type Out = { m: Module; x: tf.Tensor };
type Optimizer = 'momentum' | 'adam';
const BATCH = 4; // tiny: 2 busy cores, 100 steps, 4 workloads, 2 optimizers, eager and compiled
// a slow suite (~1 s a step on the cpu backend on a loaded 2-core machine); LOGITLAB_COMPILED_STEPS shortens a local check
const STEPS = Number(process.env['LOGITLAB_COMPILED_STEPS'] ?? 100);

/** One bench workload trained STEPS steps on its first BATCH samples, eagerly or compiled, from the same seeds. */
function train(name: string, optimizer: Optimizer, compiled: boolean) {
  manualSeed(1);
  const w = buildWorkload(name);
  const x = w.x.slice(0, BATCH);
  const y = w.y.slice(0, BATCH);
  manualSeed(2);
  const opt = optimizer === 'momentum' ? tf.train.momentum(w.lr, 0.9) : tf.train.adam(1e-3);
  const options: StepOptions<Module, Out> = { forward: (m, b) => ({ m, x: b.x }), loss: (o, t) => w.loss(o.m, o.x, t), optimizer: opt };
  const fallbacks: string[] = [];
  const step = compiled ? compileStep(w.model, options, { onFallback: (r) => fallbacks.push(r) }) : undefined;
  w.model.train();
  const losses: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const loss = step ? step.step({ x, y }) : trainStep(w.model, { x, y }, options);
    losses.push(loss.dataSync()[0] as number);
    loss.dispose();
  }
  const params = w.model.parameters().map((p) => p.dataSync() as Float32Array);
  const stats = step?.stats;
  step?.dispose();
  opt.dispose();
  tf.dispose([x, y]);
  w.dispose();
  return { losses, params, stats, fallbacks };
}

const counts = () => [tf.memory().numTensors, backendDataIds()];
const bits = (v: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(v).buffer));

const WORKLOADS = ['convnet', 'sumpool-mlp', 'vae', 'bn-mlp'];

for (const backend of ['cpu', 'wasm', 'native'] as const) {
  describe(`compiled bench workloads on ${backend}: the same ${STEPS} steps as eager`, () => {
    let skip: string | undefined;
    beforeAll(async () => {
      skip = await enterBackend(backend, 'compiled workloads');
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    for (const name of WORKLOADS)
      for (const optimizer of ['momentum', 'adam'] as const)
        it(`${name}, ${optimizer === 'momentum' ? 'SGD + momentum' : 'Adam'}`, async (ctx) => {
          if (skip) ctx.skip();
          const t0 = performance.now();
          if (tf.getBackend() !== backend) await tf.setBackend(backend);
          const before = counts();
          const eager = train(name, optimizer, false);
          const afterEager = counts();
          const compiled = train(name, optimizer, true);
          // the compiled run leaves what eager leaves, nothing more (under vitest two tfjs-core copies load, and the
          // fix for Momentum's -lr scalar reaches only the one @logitlab/backends imports: backends' dist test checks it)
          expect(counts().map((n, i) => n - afterEager[i]!)).toEqual(afterEager.map((n, i) => n - before[i]!));
          expect(compiled.fallbacks).toEqual([]);
          expect(compiled.stats).toMatchObject({ eager: 1, traces: 1, replays: STEPS - 1 });
          // native replays the whole step in one addon call (the kernel loop would pass too, silently slower)
          if (backend === 'native') expect(compiled.stats?.plan).toMatchObject({ executor: 'backend' });
          if (backend === 'cpu') {
            expect(bits(compiled.losses)).toEqual(bits(eager.losses));
            expect(compiled.params.map(bits)).toEqual(eager.params.map(bits));
          } else {
            expect(relativeError(compiled.losses, eager.losses)).toBeLessThanOrEqual(1e-6);
            compiled.params.forEach((p, i) => expect(relativeError(p, eager.params[i]!), `parameter ${i}`).toBeLessThanOrEqual(1e-6));
          }
          console.log(`${backend} ${name} ${optimizer}: ${Math.round(performance.now() - t0)} ms`);
        });
  });
}
