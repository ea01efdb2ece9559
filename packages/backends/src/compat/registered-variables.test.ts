import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { registeredVariables } from './index';

describe('compat: registeredVariables', () => {
  it('lists live variables and forgets disposed ones', () => {
    const v = tf.variable(tf.zeros([2]));
    expect(registeredVariables()).toContain(v);
    v.dispose();
    expect(registeredVariables()).not.toContain(v);
  });
});
