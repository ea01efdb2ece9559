import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Conv2d,
  DisposedInputError,
  Flatten,
  LayerError,
  Linear,
  ModuleDisposedError,
  OptionError,
  ReLU,
  Sequential,
  withForwardHook,
} from './index';

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

function model() {
  return new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
}

describe('a disposed module', () => {
  it('refuses call and forward with ModuleDisposedError, for the model and for its children', () => {
    const m = model();
    const x = tf.ones([2, 3]);
    m.dispose();
    expect(m.isDisposed).toBe(true);
    expect(() => m.call(x)).toThrow(ModuleDisposedError);
    expect(() => m.forward(x)).toThrow(/Sequential\.forward\(\): the module was disposed/);
    const first = m.children()[0]![1];
    expect(() => first.call(x)).toThrow(/Linear\.call\(\): the module was disposed/);
    expect(() => first.forward(x)).toThrow(ModuleDisposedError);
    x.dispose();
  });

  it('refuses stateDict and loadStateDict (which used to revive it and leak 2 tensors)', () => {
    const donor = model();
    const good = donor.stateDict();
    const m = model();
    m.dispose();
    expect(() => m.loadStateDict(good)).toThrow(ModuleDisposedError);
    expect(() => m.stateDict()).toThrow(ModuleDisposedError);
    const x = tf.ones([1, 3]);
    expect(() => m.call(x)).toThrow(ModuleDisposedError);
    tf.dispose([x, ...Object.values(good)]);
    donor.dispose();
  });

  it('is one LayerError, and dispose twice is harmless', () => {
    const m = model();
    m.dispose();
    m.dispose();
    const x = tf.ones([1, 3]);
    try {
      m.call(x);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LayerError);
      expect((e as ModuleDisposedError).module).toBe('Sequential');
      expect((e as ModuleDisposedError).operation).toBe('call');
    } finally {
      x.dispose();
    }
  });

  it('refuses summary with a shape probe, and leaves a live model untouched', () => {
    const m = model();
    const live = model();
    m.dispose();
    expect(() => m.summary({ inputShape: [1, 3] })).toThrow(ModuleDisposedError);
    expect(live.isDisposed).toBe(false);
    const y = tf.tidy(() => live.call(tf.ones([1, 3])));
    expect(y.shape).toEqual([1, 2]);
    y.dispose();
    live.dispose();
  });
});

describe('a disposed input', () => {
  it('is a DisposedInputError naming the module called and the input, not a raw tfjs error', () => {
    const m = model();
    const x = tf.ones([2, 3]);
    x.dispose();
    expect(() => m.call(x)).toThrow(DisposedInputError);
    expect(() => m.call(x)).toThrow(/^Sequential\.call\(x\): x \(float32 \[2, 3\]\) is a disposed tensor; expected a live one/);
    // a single layer called directly names itself
    const first = m.children()[0]![1];
    try {
      first.call(x);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LayerError);
      expect((e as DisposedInputError).module).toBe('Linear');
      expect((e as DisposedInputError).input).toBe('float32 [2, 3]');
    }
    m.dispose();
  });

  it('covers a tensor freed by the tf.tidy it was made in, and calls under a forward hook', () => {
    const m = new Sequential(new Conv2d(1, 2, 3), new Flatten(), new Linear(8, 2));
    let escaped: tf.Tensor | undefined;
    tf.tidy(() => {
      escaped = tf.zeros([1, 4, 4, 1]);
    });
    expect(() => m.call(escaped!)).toThrow(/Sequential\.call\(x\): x \(float32 \[1, 4, 4, 1\]\) is a disposed tensor/);
    const hooked = withForwardHook(
      (_module, input, forward) => forward(input),
      () => {
        try {
          m.call(escaped!);
        } catch (e) {
          return e;
        }
        return undefined;
      },
    );
    expect(hooked).toBeInstanceOf(DisposedInputError);
    // the model still works on a live input
    const y = tf.tidy(() => m.call(tf.ones([1, 4, 4, 1])));
    expect(y.shape).toEqual([1, 2]);
    y.dispose();
    m.dispose();
  });
});

describe('summary({ inputShape }) with bad dimensions', () => {
  it.each([
    ['a negative dimension', [1, -3], /inputShape\[1\] = -3; expected a positive integer/],
    ['NaN', [1, Number.NaN], /inputShape\[1\] = NaN/],
    ['a fraction', [1.5, 3], /inputShape\[0\] = 1.5/],
    ['zero', [0, 3], /inputShape\[0\] = 0/],
    ['Infinity', [1, Infinity], /inputShape\[1\] = Infinity/],
    ['a string', [1, '3'], /inputShape\[1\] = 3; expected a positive integer/],
    ['an empty shape', [], /non-empty array/],
    ['not an array', 3, /non-empty array of positive integers, got 3/],
    ['huge dimensions', [100_000, 100_000], /has 10000000000 elements; the probe batch is capped at 67108864/],
  ])('refuses %s with OptionError', (_what, shape, message) => {
    const m = new Sequential(new Conv2d(1, 2, 3), new Flatten(), new Linear(8, 2));
    expect(() => m.summary({ inputShape: shape as number[] })).toThrow(OptionError);
    expect(() => m.summary({ inputShape: shape as number[] })).toThrow(message);
    expect(m.training).toBe(true);
    m.dispose();
  });

  it('still lists output shapes for a good shape', () => {
    const m = model();
    expect(m.summary({ inputShape: [1, 3] })).toContain('[1, 2]');
    m.dispose();
  });
});
