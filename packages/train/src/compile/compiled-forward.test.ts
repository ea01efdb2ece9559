import * as tf from '@tensorflow/tfjs-core';
import { backendDataIds } from '@logitlab/backends/compat';
import { BatchNorm1d, Dropout, Linear, manualSeed, Module, ReLU, Sequential, ShapeError, withForwardHook } from '@logitlab/layers';
import { afterEach, describe, expect, it } from 'vitest';
import { blobs } from '../test-helpers';
import { compileForward } from './compiled-forward';

const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

/** A BatchNorm + dropout MLP (eval mode reads the running statistics, train mode draws masks). */
function net(seed: number): Sequential {
  manualSeed(seed);
  return new Sequential(new Linear(2, 16), new BatchNorm1d(16), new ReLU(), new Dropout(0.3), new Linear(16, 3));
}

/** Inputs of the given batch sizes, from the two-blob data. */
function inputs(sizes: number[]): tf.Tensor[] {
  const { x } = blobs(
    sizes.reduce((a, b) => a + b, 0),
    3,
  );
  let at = 0;
  return sizes.map((n) => tf.tensor2d(x.slice(2 * at, 2 * (at += n)), [n, 2]));
}

/** Outputs of `model` on `xs`, eagerly or through one compiled forward, as bits; the compiled forward's stats. */
function outputs(model: Module, xs: tf.Tensor[], compiled: boolean, seed = 0) {
  manualSeed(seed);
  const told: string[] = [];
  const forward = compiled ? compileForward(model, { onFallback: (r) => told.push(r) }) : undefined;
  const out = xs.map((x) => {
    const y = forward ? forward.call(x) : tf.tidy(() => model.call(x));
    const b = bits(y);
    y.dispose();
    return b;
  });
  const stats = forward ? { ...forward.stats } : undefined;
  forward?.dispose();
  return { out, stats, told };
}

describe('compileForward (cpu): the eager forward, bit for bit', () => {
  afterEach(() => tf.disposeVariables());

  it('replays the eval forward per input shape, re-tracing for a smaller last batch, leaking nothing', () => {
    const model = net(1).eval();
    const xs = inputs([8, 8, 8, 5, 8, 5]);
    const eager = outputs(model, xs, false);
    const tensors = tf.memory().numTensors;
    const ids = backendDataIds();
    const compiled = outputs(model, xs, true);
    expect(compiled.out).toEqual(eager.out);
    expect(compiled.stats).toMatchObject({ eager: 0, traces: 2, replays: 4, fallbacks: [] });
    expect(compiled.stats?.plan?.hostDraws).toBe(0);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backendDataIds()).toBe(ids);
    tf.dispose(xs);
    model.dispose();
  });

  it('in train mode redraws the dropout masks every replay from the same generator', () => {
    const model = net(2).train();
    const xs = inputs([6, 6, 6, 6]);
    const eager = outputs(model, xs, false, 9);
    const compiled = outputs(model, xs, true, 9);
    expect(compiled.out).toEqual(eager.out);
    expect(compiled.stats).toMatchObject({ traces: 1, replays: 3 });
    expect(compiled.stats?.plan?.hostDraws).toBe(1);
    // different masks each call: the replays did not repeat the traced call's draw
    expect(new Set(compiled.out.map((o) => o.join())).size).toBe(4);
    tf.dispose(xs);
    model.dispose();
  });

  it('traces again when the mode or the parameter set changes, and reads parameters as they are at each call', () => {
    class Growing extends Module {
      head: Linear = this.registerModule('head', new Linear(2, 2));
      forward(x: tf.Tensor): tf.Tensor {
        return this.head.call(x);
      }
    }
    manualSeed(3);
    const model = new Growing().eval();
    const forward = compileForward(model);
    const [x] = inputs([4]);
    const run = () => {
      const y = forward.call(x!);
      const b = bits(y);
      const want = tf.tidy(() => model.call(x!));
      expect(b).toEqual(bits(want));
      tf.dispose([y, want]);
    };
    run();
    run();
    model.head.weight.assign(tf.onesLike(model.head.weight));
    run(); // new values, same variables: a replay
    expect(forward.stats).toMatchObject({ traces: 1, replays: 2 });
    model.train();
    run();
    model.eval();
    model.head = model['registerModule']('head', new Linear(2, 2));
    run();
    expect(forward.stats).toMatchObject({ traces: 3, replays: 2 });
    forward.dispose();
    x!.dispose();
    model.dispose();
  });

  it('runs eagerly, with the reason told once, for a forward with a host read or under a forward hook', () => {
    const model = net(4).eval();
    const told: string[] = [];
    const reading = compileForward(model, {
      forward: (m, x) => tf.mul(m.call(x), tf.scalar(tf.max(x).dataSync()[0] as number)),
      onFallback: (r) => told.push(r),
    });
    const xs = inputs([4, 4, 4, 4, 4, 4, 4, 4]);
    for (const x of xs) {
      const want = tf.tidy(() => tf.mul(model.call(x), tf.scalar(tf.max(x).dataSync()[0] as number)));
      const got = reading.call(x);
      expect(bits(got)).toEqual(bits(want));
      tf.dispose([got, want]);
    }
    // traced again after 2 and 4 more calls, then given up on (a pitfall check may stop reading)
    expect(reading.stats).toMatchObject({ traces: 3, replays: 0, eager: 5 });
    expect(told).toEqual(['a host read (dataSync()) inside the step']);
    const plain = compileForward(model, { onFallback: (r) => told.push(r) });
    tf.dispose(plain.call(xs[0]!));
    withForwardHook(
      (_m, input, f) => f(input),
      () => tf.dispose(plain.call(xs[0]!)),
    );
    expect(plain.stats).toMatchObject({ traces: 1, eager: 1 });
    expect(told[1]).toBe('a forward hook is active');
    tf.dispose(xs);
    reading.dispose();
    plain.dispose();
    model.dispose();
  });

  it('rejects an input of the wrong shape with the layer’s typed error, leaking nothing, and replays after', () => {
    const model = net(5).eval();
    const forward = compileForward(model);
    const [good] = inputs([4]);
    const bad = tf.zeros([4, 3]);
    tf.dispose(forward.call(good!));
    const tensors = tf.memory().numTensors;
    const ids = backendDataIds();
    expect(() => forward.call(bad)).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backendDataIds()).toBe(ids);
    tf.dispose(forward.call(good!));
    expect(forward.stats).toMatchObject({ traces: 2, replays: 1 });
    tf.dispose([good!, bad]);
    forward.dispose();
    model.dispose();
  });
});
