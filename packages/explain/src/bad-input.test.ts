import * as tf from '@tensorflow/tfjs-core';
import { LogitlabError } from '@logitlab/core';
import { Conv2d, Flatten, Linear, manualSeed, Module, ReLU, Sequential } from '@logitlab/layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Composite } from './composites';
import { ExplainAbortedError, ExplainInputError, ExplainModelError, ExplainOptionsError } from './errors';
import { explain, type ExplainOptions } from './explain';
import { scoreFunction } from './evaluation';
import { epsilonRule, type Rule } from './rules';

let before = 0;
beforeEach(() => {
  manualSeed(3);
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

function convnet(): Sequential {
  return new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten(), new Linear(72, 3));
}

/** An 8 x 8 image batch with one bad pixel at sample 1, row 2, column 5. */
function withBadPixel(value: number): tf.Tensor {
  const data = new Float32Array(2 * 8 * 8).map((_, i) => (i % 7) / 7);
  data[64 + 2 * 8 + 5] = value;
  return tf.tensor4d(data, [2, 8, 8, 1]);
}

/** Runs fn on a fresh convnet and an image, disposing both; returns what fn threw. */
function thrown(fn: (m: Sequential, x: tf.Tensor) => unknown, x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 1)): unknown {
  const m = convnet();
  try {
    const r = fn(m, x) as { relevance?: tf.Tensor } | undefined;
    r?.relevance?.dispose();
    return undefined;
  } catch (e) {
    return e;
  } finally {
    m.dispose();
    x.dispose();
  }
}

describe('non-finite input', () => {
  it.each(['lrp', 'integratedGradients', 'gradient', 'smoothGrad', 'occlusion'] as const)(
    '%s refuses an image with one NaN or Infinity pixel, naming x and its index',
    (method) => {
      for (const bad of [NaN, Infinity, -Infinity]) {
        const e = thrown((m, x) => explain(m, x, { method, window: 2 }), withBadPixel(bad));
        expect(e).toBeInstanceOf(ExplainInputError);
        // smoothGrad used to blame sigma, an option the caller never set
        expect((e as Error).message).toMatch(new RegExp(`^x\\[1, 2, 5, 0\\] is ${bad} \\(flat index 85\\)`));
      }
    },
  );

  it('refuses a NaN baseline, as a number or inside a tensor', () => {
    expect(thrown((m, x) => explain(m, x, { method: 'integratedGradients', baseline: NaN }))).toBeInstanceOf(ExplainOptionsError);
    expect(thrown((m, x) => explain(m, x, { method: 'occlusion', window: 2, baseline: Infinity }))).toBeInstanceOf(ExplainOptionsError);
    const b = tf.tensor3d(
      Array.from({ length: 64 }, (_, i) => (i === 9 ? NaN : 0)),
      [8, 8, 1],
    );
    const e = thrown((m, x) => explain(m, x, { method: 'integratedGradients', baseline: b }));
    b.dispose();
    expect(e).toBeInstanceOf(ExplainOptionsError);
    expect((e as Error).message).toMatch(/^baseline\[1, 1, 0\] is NaN/);
  });
});

describe('arguments of the wrong kind', () => {
  it.each([
    ['a nested array', [[0.1]], ExplainInputError, /x as a tf.Tensor batch \[N, \.\.\.\], got an array/],
    ['null', null, ExplainInputError, /got null/],
    ['a number', 3, ExplainInputError, /got number 3/],
  ])('x as %s is an ExplainInputError', (_what, x, type, message) => {
    const m = convnet();
    expect(() => explain(m, x as unknown as tf.Tensor)).toThrow(type);
    expect(() => explain(m, x as unknown as tf.Tensor)).toThrow(message);
    m.dispose();
  });

  it('a disposed x or model is refused by name', () => {
    const d = tf.ones([1, 8, 8, 1]);
    d.dispose();
    expect(thrown((m) => explain(m, d))).toBeInstanceOf(ExplainInputError);
    const m = convnet();
    m.dispose();
    const x = tf.ones([1, 8, 8, 1]);
    expect(() => explain(m, x)).toThrow(ExplainModelError);
    expect(() => explain({} as Module, x)).toThrow(/Module from @logitlab\/layers/);
    x.dispose();
  });

  it.each([
    ['composite: null', { composite: null }, /composite must be a composite name or a Composite object, got null/],
    ['composite: 3', { composite: 3 }, /got number 3/],
    ['options null', null, /options must be an object, got null/],
    ['signal: {}', { signal: {} }, /signal must be an AbortSignal/],
    ['baseline: "0"', { baseline: '0' }, /baseline must be a finite number or a tf.Tensor/],
    ['epsilon: Infinity', { composite: 'epsilon', epsilon: Infinity }, /epsilon must be a finite number/],
    ['bounds: 3', { composite: 'deepTaylor', bounds: 3 }, /bounds must be \[low, high\]/],
  ])('%s is an ExplainOptionsError', (_what, options, message) => {
    const e = thrown((m, x) => explain(m, x, options as unknown as ExplainOptions));
    expect(e).toBeInstanceOf(ExplainOptionsError);
    expect((e as Error).message).toMatch(message);
  });
});

/** conv -> conv (the same layer twice) -> flatten -> linear; 'same' padding keeps the two activations the same shape. */
class Twice extends Module {
  readonly conv: Conv2d;
  readonly fc: Linear;
  constructor(same: boolean) {
    super();
    this.conv = this.registerModule('conv', new Conv2d(1, 1, 3, { padding: same ? 'same' : 0 }));
    this.fc = this.registerModule('fc', new Linear(same ? 64 : 16, 3));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const h = this.conv.call(tf.relu(this.conv.call(x)));
      return this.fc.call(tf.reshape(h, [x.shape[0]!, -1]));
    });
  }
}

describe('gradCam on a layer that runs twice', () => {
  it.each([
    ['different', false],
    ['matching', true],
  ])('refuses it when the two activations have %s shapes', (_what, same) => {
    const m = new Twice(same);
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 2);
    // different shapes used to fail with a raw broadcast error; matching ones gave a silently wrong map
    expect(() => explain(m, x, { method: 'gradCam', layer: 'conv' })).toThrow(ExplainOptionsError);
    expect(() => explain(m, x, { method: 'gradCam', layer: 'conv' })).toThrow(/runs 2 times in one forward pass/);
    m.dispose();
    x.dispose();
  });
});

const bad = (patch: object): Rule => ({ ...epsilonRule(1e-6), ...patch }) as Rule;

describe('user rules', () => {
  it('a rule that throws is an ExplainModelError naming rule and layer, and leaks nothing (it leaked 27 tensors)', () => {
    const throwing: Rule = {
      name: 'boom',
      stabilizer: 1e-6,
      groups: [
        {
          coefficient: 1,
          terms: [
            {
              sign: 1,
              input: (t) => t,
              weight: () => {
                throw new Error('no weights for you');
              },
            },
          ],
        },
      ],
    };
    const e = thrown((m, x) => explain(m, x, { composite: { dense: throwing, conv: epsilonRule() } }));
    expect(e).toBeInstanceOf(ExplainModelError);
    expect((e as Error).message).toMatch(/rule 'boom' failed on layer '3': no weights for you/);
  });

  it('a rule that returns relevance of the wrong shape is an ExplainModelError', () => {
    const wrong: Rule = {
      name: 'wrongShape',
      stabilizer: 1e-6,
      groups: [{ coefficient: 1, terms: [{ sign: 1, input: () => tf.ones([1, 1]), weight: (w) => w }] }],
    };
    const e = thrown((m, x) => explain(m, x, { composite: { dense: epsilonRule(), conv: wrong } }));
    expect(e).toBeInstanceOf(ExplainModelError);
    expect((e as Error).message).toMatch(/rule 'wrongShape'/);
  });

  it.each([
    ['groups: []', { groups: [] }, /composite.dense is not a valid Rule: groups must be a non-empty array/],
    ['no terms', { groups: [{ coefficient: 1, terms: [] }] }, /groups\[0\].terms must be a non-empty array/],
    [
      'sign 2',
      { groups: [{ coefficient: 1, terms: [{ sign: 2, input: (t: tf.Tensor) => t, weight: (t: tf.Tensor) => t }] }] },
      /sign must be 1 or -1/,
    ],
    [
      'a NaN coefficient',
      { groups: [{ coefficient: NaN, terms: [{ sign: 1, input: (t: tf.Tensor) => t, weight: (t: tf.Tensor) => t }] }] },
      /coefficient must be a finite number/,
    ],
    [
      'a weight that is not a function',
      { groups: [{ coefficient: 1, terms: [{ sign: 1, input: (t: tf.Tensor) => t, weight: 3 }] }] },
      /must be functions/,
    ],
    ['a NaN stabilizer', { stabilizer: NaN }, /stabilizer must be a finite number >= 0/],
    ['no name', { name: undefined }, /name must be a string/],
  ])('a rule with %s is refused when the composite is checked', (_what, patch, message) => {
    const e = thrown((m, x) => explain(m, x, { composite: { conv: epsilonRule(), dense: bad(patch) } }));
    expect(e).toBeInstanceOf(ExplainOptionsError);
    expect((e as Error).message).toMatch(message);
  });

  it('rules in byType and byName are checked too, and a null table is refused', () => {
    const e1 = thrown((m, x) =>
      explain(m, x, { composite: { conv: epsilonRule(), dense: epsilonRule(), byType: { Linear: bad({ groups: [] }) } } }),
    );
    expect((e1 as Error).message).toMatch(/composite.byType\['Linear'\]/);
    const e2 = thrown((m, x) => explain(m, x, { composite: { conv: epsilonRule(), byName: null } as unknown as Composite }));
    expect(e2).toBeInstanceOf(ExplainOptionsError);
  });
});

describe('caps', () => {
  it.each([
    [
      'integratedGradients steps: 1e9',
      { method: 'integratedGradients', steps: 1e9 },
      /steps must be an integer in \[1, 10000\], got 1000000000/,
    ],
    ['smoothGrad n: 1e9', { method: 'smoothGrad', n: 1e9 }, /n must be an integer in \[1, 10000\], got 1000000000/],
    ['smoothGrad n: 1e5', { method: 'smoothGrad', n: 1e5 }, /n must be an integer in \[1, 10000\]/],
    ['smoothGrad sigma: Infinity', { method: 'smoothGrad', sigma: Infinity }, /sigma must be a finite number >= 0, got Infinity/],
    ['smoothGrad seed: NaN', { method: 'smoothGrad', seed: NaN }, /seed must be a finite number, got NaN/],
  ])('%s fails typed at the call', (_what, options, message) => {
    const e = thrown((m, x) => explain(m, x, options as ExplainOptions));
    expect(e).toBeInstanceOf(ExplainOptionsError);
    expect((e as Error).message).toMatch(message);
  });

  it('occlusion refuses more than 2^20 occluded inputs before building any', () => {
    const m = new Sequential(new Flatten(), new Linear(4096, 2));
    const x = tf.zeros([300, 4096]);
    expect(() => explain(m, x, { method: 'occlusion', window: 1 })).toThrow(
      /4096 windows x 300 samples = 1228800 occluded inputs; the cap is 1048576/,
    );
    tf.dispose(x);
    m.dispose();
  });
});

/** A ReLU that aborts `controller` on its `at`-th call, as code running inside explain would. */
class AbortingReLU extends ReLU {
  calls = 0;
  constructor(
    readonly controller: AbortController,
    readonly at: number,
  ) {
    super();
  }
  override forward(x: tf.Tensor): tf.Tensor {
    if (++this.calls === this.at) this.controller.abort(new Error('user pressed stop'));
    return super.forward(x);
  }
}

describe('AbortSignal', () => {
  it('an aborted signal stops explain before any work', () => {
    const e = thrown((m, x) => explain(m, x, { signal: AbortSignal.abort() }));
    expect(e).toBeInstanceOf(ExplainAbortedError);
  });

  it.each([
    // 64 samples: two steps per pass of at most 128 stacked images, so there are passes to stop between
    ['integratedGradients', { method: 'integratedGradients', steps: 50 }, 64],
    ['smoothGrad', { method: 'smoothGrad', n: 50 }, 2],
    // 300 samples: one window per batch of at most 512 occluded inputs, so there are batches to stop between
    ['occlusion', { method: 'occlusion', window: 1 }, 300],
  ])('%s stops between passes with ExplainAbortedError and leaks nothing', (_what, options, samples) => {
    const controller = new AbortController();
    const relu = new AbortingReLU(controller, 5);
    const m = new Sequential(new Conv2d(1, 2, 3), relu, new Flatten(), new Linear(72, 3));
    const x = tf.randomUniform([samples, 8, 8, 1], 0, 1, 'float32', 4);
    try {
      expect(() => explain(m, x, { ...(options as ExplainOptions), signal: controller.signal })).toThrow(/was aborted: user pressed stop/);
      expect(() => explain(m, x, { ...(options as ExplainOptions), signal: controller.signal })).toThrow(ExplainAbortedError);
      // it stopped at the first check after the abort: 5 passes, not 50 or 64
      expect(relu.calls).toBe(5);
    } finally {
      m.dispose();
      x.dispose();
    }
  });
});

describe('scoreFunction', () => {
  it('refuses a batch that does not fit sampleShape with ExplainInputError', () => {
    const m = convnet();
    const f = scoreFunction(m, { sampleShape: [7, 7, 1] });
    expect(() => f(new Float32Array(2 * 64), 2)).toThrow(ExplainInputError);
    expect(() => f(new Float32Array(2 * 64), 2)).toThrow(
      /got 128 values for 2 samples of sampleShape \[7, 7, 1\] \(49 values each\); expected 98/,
    );
    m.dispose();
  });

  it.each([[[]], [[28, -28]], [[NaN]], [null]])('refuses sampleShape %j with ExplainOptionsError', (shape) => {
    const m = convnet();
    expect(() => scoreFunction(m, { sampleShape: shape as unknown as number[] })).toThrow(ExplainOptionsError);
    m.dispose();
  });

  it('every refusal above is one LogitlabError family', () => {
    expect(new ExplainAbortedError('x')).toBeInstanceOf(LogitlabError);
  });
});
