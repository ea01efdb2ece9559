// The native whole-step executor on a small recorded step (a linear layer, ReLU, mean squared error, SGD):
// it replays in one addon call what the kernel loop replays, parameters change in place without changing an
// array the user read or a clone shares, a kernel the addon lacks keeps the plan on the kernel loop with
// the reason, and nothing leaks. Skips where the addon is not built.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { backendDataIds } from '../../compat/data-ids';
import { untestableReason } from '../../../test/kernel-test-util';
import { recordPlan } from '../../../test/record-plan';

const skip = await untestableReason('native');
const LR = 0.05;

function model() {
  const w = tf.variable(tf.tensor2d([0.3, -0.2, 0.1, 0.4, -0.5, 0.25], [3, 2]));
  const b = tf.variable(tf.tensor1d([0.01, -0.02]));
  const x = tf.tensor2d([1, 2, 3, -1, 0.5, 2, 0, 1, -2, 1.5, 1, 1], [4, 3]);
  const y = tf.tensor2d([1, 0, 0, 1, 0.5, 0.5, 1, 1], [4, 2]);
  return { w, b, x, y };
}
type Model = ReturnType<typeof model>;

/** One SGD step; `concat` adds a kernel the addon's plan does not have. */
function sgd(m: Model, lr: number, concat = false): tf.Tensor[] {
  const { value, grads } = tf.variableGrads(() => {
    const h = tf.relu(tf.add(tf.matMul(m.x, m.w), m.b));
    const out = concat ? tf.slice(tf.concat([h, h], 1), [0, 0], [4, 2]) : h;
    return tf.mean(tf.squaredDifference(out, m.y));
  }, [m.w, m.b]);
  const rate = tf.scalar(lr);
  const [gw, gb] = [grads[m.w.name]!, grads[m.b.name]!];
  m.w.assign(tf.sub(m.w, tf.mul(gw, rate)));
  m.b.assign(tf.sub(m.b, tf.mul(gb, rate)));
  tf.dispose([rate, gw, gb]);
  return [value];
}

function record(m: Model, concat = false) {
  return recordPlan((lr) => sgd(m, lr, concat), [m.x, m.y]);
}

describe.skipIf(skip)('the native one-call plan', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs the step in one addon call, giving the eager steps bit for bit over 20 steps, without leaks', async () => {
    await tf.setBackend('native');
    const eager = model();
    const compiled = model();
    const plan = record(compiled);
    expect(plan.stats).toMatchObject({ executor: 'backend', kernelCalls: expect.any(Number) });
    expect(plan.stats.kernelCalls).toBeLessThan(plan.stats.eagerKernelCalls);
    expect(plan.stats.arenaBytes).toBeGreaterThan(0);
    // counted from the second step: tfjs's first eager step keeps a few data ids of its own
    let before: number[] = [];
    for (let i = 0; i < 20; i++) {
      if (i === 1) before = [tf.memory().numTensors, backendDataIds()];
      const [a] = tf.tidy(() => sgd(eager, LR)) as [tf.Tensor];
      const [c] = plan.replay([compiled.x, compiled.y], { lr: LR }) as [tf.Tensor];
      expect(c.dataSync()).toEqual(a.dataSync());
      tf.dispose([a, c]);
    }
    expect([tf.memory().numTensors, backendDataIds()]).toEqual(before);
    expect(compiled.w.dataSync()).toEqual(eager.w.dataSync());
    expect(compiled.b.dataSync()).toEqual(eager.b.dataSync());
    plan.dispose();
    tf.dispose([eager, compiled].flatMap((m) => [m.w, m.b, m.x, m.y]));
  });

  it('updates parameters in place, yet an array the user read and a clone keep the old values', async () => {
    await tf.setBackend('native');
    const m = model();
    const plan = record(m);
    tf.dispose(plan.replay([m.x, m.y], { lr: LR }));
    const read = m.w.dataSync() as Float32Array;
    const snapshot = Array.from(read);
    tf.dispose(plan.replay([m.x, m.y], { lr: LR }));
    expect(Array.from(read)).toEqual(snapshot);
    expect(Array.from(m.w.dataSync())).not.toEqual(snapshot);
    const clone = tf.clone(m.b);
    const cloned = Array.from(clone.dataSync());
    tf.dispose(plan.replay([m.x, m.y], { lr: LR }));
    expect(Array.from(clone.dataSync())).toEqual(cloned);
    expect(Array.from(m.b.dataSync())).not.toEqual(cloned);
    plan.dispose();
    tf.dispose([clone, m.w, m.b, m.x, m.y]);
  });

  it('keeps a step with a kernel the addon lacks on the kernel loop, saying which', async () => {
    await tf.setBackend('native');
    const m = model();
    const plan = record(m, true);
    expect(plan.stats.executor).toBe('kernels');
    expect(plan.stats.executorFallback).toBe('Concat has no native plan instruction');
    const [loss] = plan.replay([m.x, m.y], { lr: LR }) as [tf.Tensor];
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    plan.dispose();
    tf.dispose([loss, m.w, m.b, m.x, m.y]);
  });
});
