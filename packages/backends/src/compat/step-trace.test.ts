import * as tf from '@tensorflow/tfjs-core';
import { announceHostDraw } from '@logitlab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { backendDataIds, traceStep } from './index';

const LR = 0.000987654321; // a sentinel no constant of these steps equals

/** y = relu(x W) summed; one SGD step on W with the learning rate as a runtime scalar. */
function sgdStep(w: tf.Variable, x: tf.Tensor, lr: number): tf.Scalar {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.relu(tf.matMul(x, w))) as tf.Scalar, [w]);
    w.assign(tf.add(w, tf.mul(grads[w.name] as tf.Tensor, tf.scalar(-lr))));
    return value;
  });
}

// each from its own tensor, made inside tidy: each variable's first data is freed by its first step
const weight = () => tf.tidy(() => tf.variable(tf.tensor2d([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [3, 2])));
const bits = (t: tf.Tensor) => Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer));

describe('traceStep: a step recorded at the kernel level and replayed without the engine', () => {
  afterEach(() => tf.disposeVariables());

  it('replays an SGD step bit for bit as the eager step, with the learning rate read at replay time', () => {
    const x = tf.tensor2d([0.5, -1, 2, 0.25, 1, 3], [2, 3]);
    const eager = weight();
    const compiled = weight();
    const traced = traceStep(() => [sgdStep(compiled, x, LR)], { inputs: [x], scalars: [{ name: 'negLr', traced: -LR }], rollback: true });
    expect(traced.reason).toBeUndefined();
    tf.dispose(traced.outputs);
    const plan = traced.plan!;
    expect(plan.stats.scalars).toEqual(['negLr']);
    expect(plan.stats.kernelCalls).toBeGreaterThan(3);
    // relu saves its input for the gradient: the engine's Identity clone of it is read as the source, not replayed
    expect(plan.stats.eagerKernelCalls).toBeGreaterThan(plan.stats.kernelCalls);
    const tensors = tf.memory().numTensors;
    const ids = backendDataIds();
    for (const lr of [0.1, 0.05, 0.2]) {
      const a = sgdStep(eager, x, lr);
      expect(plan.mismatch([x])).toBeUndefined();
      const [b] = plan.replay([x], { negLr: -lr });
      expect(bits(b!)).toEqual(bits(a));
      expect(bits(compiled)).toEqual(bits(eager));
      tf.dispose([a, b!]);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backendDataIds()).toBe(ids);
    plan.dispose();
    tf.dispose(x);
  });

  it('rolls the dry run back: the variables hold their values from before the trace', () => {
    const x = tf.ones([2, 3]);
    const w = tf.variable(tf.tensor2d([0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [3, 2]));
    const before = bits(w);
    const traced = traceStep(() => [sgdStep(w, x, LR)], { inputs: [x], scalars: [{ name: 'negLr', traced: -LR }], rollback: true });
    expect(bits(w)).toEqual(before);
    tf.dispose(traced.outputs);
    traced.plan?.dispose();
    tf.dispose(x);
  });

  it('redraws an announced host draw on every replay instead of baking it', () => {
    let next = 0;
    const refill = (into: Float32Array) => {
      for (let i = 0; i < into.length; i++) into[i] = ++next;
    };
    const step = () =>
      tf.tidy(() => {
        const data = new Float32Array(3);
        refill(data);
        const noise = tf.tensor1d(data);
        announceHostDraw(noise, refill);
        return [tf.mul(noise, 2)];
      });
    const traced = traceStep(step, { inputs: [] });
    expect(traced.plan?.stats.hostDraws).toBe(1);
    expect(Array.from(traced.outputs[0]!.dataSync())).toEqual([2, 4, 6]);
    const [out] = traced.plan!.replay([], {});
    expect(Array.from(out!.dataSync())).toEqual([8, 10, 12]);
    tf.dispose([...traced.outputs, out!]);
    traced.plan!.dispose();
  });

  it('gives a reason instead of a plan for a host read inside the step, and still runs the step', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const traced = traceStep(() => [tf.mul(x, tf.sum(x).dataSync()[0]!)], { inputs: [x] });
    expect(traced.plan).toBeUndefined();
    expect(traced.reason).toMatch(/host read \(dataSync\(\)\)/);
    expect(Array.from(traced.outputs[0]!.dataSync())).toEqual([6, 12, 18]);
    tf.dispose([x, ...traced.outputs]);
  });

  it('gives a reason for a data-dependent shape and for a runtime scalar it never saw', () => {
    const x = tf.tensor1d([1, 0, 3]);
    const where = traceStep(() => tf.tidy(() => [tf.cast(tf.unique(x).values, 'float32')]), { inputs: [x] });
    expect(where.reason).toMatch(/Unique: its output shape depends on the data/);
    const missing = traceStep(() => [tf.mul(x, 2)], { inputs: [x], scalars: [{ name: 'lr', traced: LR }] });
    expect(missing.reason).toMatch(/runtime scalar "lr" was not found/);
    tf.dispose([x, ...where.outputs, ...missing.outputs]);
  });

  it('refuses to replay with another input shape, a disposed variable or after dispose (reasons, no throw)', () => {
    const x = tf.ones([2, 3]);
    const w = tf.variable(tf.tensor2d([0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [3, 2]));
    const traced = traceStep(() => [sgdStep(w, x, LR)], { inputs: [x], scalars: [{ name: 'negLr', traced: -LR }], rollback: true });
    tf.dispose(traced.outputs);
    const plan = traced.plan!;
    const other = tf.ones([4, 3]);
    expect(plan.mismatch([other])).toMatch(/input 0 is float32 \[4, 3\], the plan was recorded for float32 \[2, 3\]/);
    expect(() => plan.replay([x], {})).toThrow(/no value for the runtime scalar "negLr"/);
    w.dispose();
    expect(plan.mismatch([x])).toMatch(/was disposed/);
    plan.dispose();
    expect(plan.mismatch([x])).toMatch(/plan was disposed/);
    expect(() => plan.replay([x], { negLr: -0.1 })).toThrow(/disposed plan/);
    tf.dispose([x, other]);
  });
});
