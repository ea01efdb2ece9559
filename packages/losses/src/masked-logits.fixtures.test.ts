import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, nllLoss, setPitfallWarnings, type Reduction } from './index';
import { expectGradientCase, type GradientCase } from '../../../scripts/test-utils/fixture-utils';

interface Case extends GradientCase {
  options: { fn: string; reduction: Reduction; ignoreIndex?: number; labelSmoothing?: number };
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/masked-logits.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
};

function run(c: Case, t: Record<string, tf.Tensor>): tf.Tensor {
  const o = c.options;
  if (o.fn === 'nllLoss') return nllLoss(t['logp']!, t['target']!, { reduction: o.reduction, weight: t['weight'] });
  return crossEntropy(t['logits']!, t['target']!, {
    reduction: o.reduction,
    weight: t['weight'],
    ignoreIndex: o.ignoreIndex ?? -100,
    labelSmoothing: o.labelSmoothing ?? 0,
  });
}

describe(`losses on masked (-Infinity) logits against PyTorch ${fixtures.torch}`, () => {
  beforeAll(() => setPitfallWarnings(false));
  afterAll(() => setPitfallWarnings(true));

  it("gives the issue's two values", () => {
    const ce = tf.tidy(() =>
      crossEntropy(
        tf.tensor2d([
          [-Infinity, 0, 0],
          [0, 1, 2],
        ]),
        tf.tensor1d([1, 1], 'int32'),
      ),
    );
    const nll = tf.tidy(() => nllLoss(tf.tensor2d([[-Infinity, -Math.LN2, -Math.LN2]]), tf.tensor1d([1], 'int32')));
    expect(ce.dataSync()[0]).toBeCloseTo(1.0504, 4);
    expect(nll.dataSync()[0]).toBeCloseTo(Math.LN2, 4); // the 0.6931
    tf.dispose([ce, nll]);
  });

  for (const c of fixtures.cases) {
    it(c.name, () => expectGradientCase(c, run));
  }
});
