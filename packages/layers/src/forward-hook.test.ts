import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear';
import { forwardHookActive, withForwardHook } from './module';
import { ReLU } from './activations';
import { Sequential } from './sequential';

describe('forward hook', () => {
  it('sees every call (containers and leaves, in order), can replace the output, and is removed afterwards, also on throw', () => {
    const net = new Sequential(new Linear(2, 2), new ReLU());
    const x = tf.ones([1, 2]);
    const seen: string[] = [];
    const y = withForwardHook(
      (m, input, forward) => {
        seen.push(m.constructor.name);
        return m instanceof ReLU ? tf.zerosLike(input) : forward(input);
      },
      () => net.call(x),
    );
    expect(seen).toEqual(['Sequential', 'Linear', 'ReLU']);
    expect(Array.from(y.dataSync())).toEqual([0, 0]);
    expect(forwardHookActive()).toBe(false);
    expect(() =>
      withForwardHook(
        () => {
          throw new Error('boom');
        },
        () => net.call(x),
      ),
    ).toThrow('boom');
    expect(forwardHookActive()).toBe(false);
    const plain = net.call(x);
    expect(plain.shape).toEqual([1, 2]);
    tf.dispose([x, y, plain]);
    net.dispose();
  });
});
