import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { manualSeed, type Module } from '@logitlab/layers';
import { compileStep, type StepOptions, trainStep } from '@logitlab/train';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWorkload } from './workloads';

type Out = { m: Module; x: tf.Tensor };
type Optimizer = 'momentum' | 'adam';
const BATCH = 4; // tiny: 2 busy cores, 100 steps, 4 workloads, 2 optimizers, eager and compiled
const STEPS = 100;

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

/** max |a - b| / max |b| */
function relative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / Math.max(scale, 1e-12);
}

const bits = (v: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(v).buffer));

const WORKLOADS = ['convnet', 'sumpool-mlp', 'vae', 'bn-mlp'];

for (const backend of ['cpu', 'wasm', 'native'] as const) {
  describe(`compiled bench workloads on ${backend}: the same ${STEPS} steps as eager`, () => {
    let skip: string | undefined;
    const ready = (async () => {
      try {
        await useBackend(backend, { threads: 1 });
      } catch (e) {
        if (backend !== 'native' || process.env['LOGITLAB_REQUIRE_NATIVE'] === '1') throw e;
        skip = e instanceof Error ? e.message : String(e);
        console.warn(`SKIPPED compiled native workloads: ${skip}`);
      }
    })();
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    for (const name of WORKLOADS)
      for (const optimizer of ['momentum', 'adam'] as const)
        it(`${name}, ${optimizer === 'momentum' ? 'SGD + momentum' : 'Adam'}`, async () => {
          await ready;
          if (skip) return;
          if (tf.getBackend() !== backend) await tf.setBackend(backend);
          const tensors = tf.memory().numTensors;
          const ids = tf.engine().backend.numDataIds();
          const eager = train(name, optimizer, false);
          const compiled = train(name, optimizer, true);
          expect(compiled.fallbacks).toEqual([]);
          expect(compiled.stats).toMatchObject({ eager: 1, traces: 1, replays: STEPS - 1 });
          if (backend === 'cpu') {
            expect(bits(compiled.losses)).toEqual(bits(eager.losses));
            expect(compiled.params.map(bits)).toEqual(eager.params.map(bits));
          } else {
            expect(relative(compiled.losses, eager.losses)).toBeLessThanOrEqual(1e-6);
            compiled.params.forEach((p, i) => expect(relative(p, eager.params[i]!), `parameter ${i}`).toBeLessThanOrEqual(1e-6));
          }
          expect(tf.memory().numTensors).toBe(tensors);
          expect(tf.engine().backend.numDataIds()).toBe(ids);
        });
  });
}
