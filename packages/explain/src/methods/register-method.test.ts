import * as tf from '@tensorflow/tfjs-core';
import {
  type AttributionMethod,
  ExplainOptionsError,
  backward,
  explain,
  forwardScores,
  methodNames,
  registerMethod,
} from '@logitlab/explain';
import { Linear, ReLU, Sequential, manualSeed } from '@logitlab/layers';
import { describe, expect, it } from 'vitest';

// A method from outside the package: |df/dx| scaled by `steps` (an ExplainOptions key it reads), through
// the same session helpers the built-in methods use.
const absGradient: AttributionMethod<{ steps?: number }> = {
  name: 'absGradient',
  label: '|gradient|',
  summary: 'the absolute gradient, times steps',
  options: [{ name: 'steps', default: '1', meaning: 'a factor' }],
  conserves: 'none',
  attribute(session, x, { steps = 1 }) {
    const { grad, scores } = backward(session, x, null, false, forwardScores(session, x).target);
    const relevance = tf.tidy(() => tf.mul(tf.abs(grad), steps));
    grad.dispose();
    return { relevance, scores, reference: scores.explained };
  },
};

describe('registerMethod: a method from outside the package', () => {
  manualSeed(2);
  const net = new Sequential(new Linear(5, 4), new ReLU(), new Linear(4, 3));
  const x = tf.randomNormal([2, 5], 0, 1, 'float32', 1);

  it('is unknown before it is registered: the typed error lists the registered names', () => {
    expect(() => explain(net, x, { method: 'absGradient' })).toThrow(ExplainOptionsError);
    expect(() => explain(net, x, { method: 'absGradient' })).toThrow(`expected one of ${methodNames().join(', ')}`);
  });

  it('runs through explain() once registered, with targets, options and the conservation report', () => {
    registerMethod(absGradient);
    expect(methodNames()).toContain('absGradient');
    const before = tf.memory().numTensors;
    const mine = explain(net, x, { method: 'absGradient', target: [0, 2], steps: 3 });
    const plain = explain(net, x, { method: 'gradient', target: [0, 2] });
    const expected = tf.tidy(() => Array.from(tf.mul(tf.abs(plain.relevance), 3).dataSync()));
    expect(Array.from(mine.relevance.dataSync())).toEqual(expected.map((v) => expect.closeTo(v, 6)));
    expect(mine.method).toBe('absGradient');
    expect(Array.from(mine.target)).toEqual([0, 2]);
    expect(Array.from(mine.conservation.output)).toEqual(Array.from(plain.score));
    tf.dispose([mine.relevance, plain.relevance]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a malformed method, naming what it expected', () => {
    expect(() => registerMethod(null as never)).toThrow(/needs a method object, got null/);
    expect(() => registerMethod({ ...absGradient, name: 'two words' })).toThrow(/name must be an identifier .* got "two words"/);
    expect(() => registerMethod({ ...absGradient, name: 'bad', attribute: 1 as never })).toThrow(
      /attribute must be a function, got number/,
    );
    expect(() => registerMethod({ ...absGradient, name: 'bad', attributeAsync: 'later' as never })).toThrow(
      /attributeAsync must be a function or absent, got string/,
    );
    expect(() => registerMethod({ ...absGradient, name: 'bad', conserves: 'sum' as never })).toThrow(
      /conserves must be one of score, scoreDifference, none, got "sum"/,
    );
    expect(() => registerMethod({ ...absGradient, name: 'bad', options: undefined as never })).toThrow(ExplainOptionsError);
    expect(methodNames()).not.toContain('bad');
  });
});
