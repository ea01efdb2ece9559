import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { expectGradientCase, type GradientCase } from '../../../scripts/test-utils/fixture-utils';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  gaussianKl,
  klDiv,
  l1Loss,
  logSoftmax,
  mseLoss,
  nllLoss,
  setPitfallWarnings,
  softmax,
  vaeLoss,
  type Reduction,
} from './index';

// read at run time rather than imported: TypeScript would otherwise infer a type for every number
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/losses.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };

interface Case extends GradientCase {
  options: Record<string, unknown> & { fn: string };
}

type T = Record<string, tf.Tensor>;

/** Runs the fixture's function with logitlab's loss, taking the differentiable inputs as arguments. */
function run(c: Case, t: T): tf.Tensor {
  const o = c.options;
  const reduction = o['reduction'] as Reduction;
  switch (o.fn) {
    case 'crossEntropy':
      return crossEntropy(t['logits']!, t['target']!, {
        reduction,
        weight: t['weight'],
        ignoreIndex: (o['ignoreIndex'] as number | undefined) ?? -100,
        labelSmoothing: (o['labelSmoothing'] as number | undefined) ?? 0,
      });
    case 'nllLoss':
      return nllLoss(t['logp']!, t['target']!, { reduction, weight: t['weight'] });
    case 'logSoftmax':
      return logSoftmax(t['x']!, (o['axis'] as number | undefined) ?? -1);
    case 'softmax':
      return softmax(t['x']!);
    case 'binaryCrossEntropyWithLogits':
      return binaryCrossEntropyWithLogits(t['logits']!, t['target']!, { reduction, weight: t['weight'], posWeight: t['posWeight'] });
    case 'binaryCrossEntropy':
      return binaryCrossEntropy(t['probs']!, t['target']!, { reduction, weight: t['weight'] });
    case 'mseLoss':
      return mseLoss(t['input']!, t['target']!, { reduction });
    case 'l1Loss':
      return l1Loss(t['input']!, t['target']!, { reduction });
    case 'klDiv':
      return klDiv(t['input']!, t['target']!, { reduction: o['reduction'] as Reduction | 'batchmean', logTarget: o['logTarget'] === true });
    case 'gaussianKl':
      return gaussianKl(t['mu']!, t['logVar']!, { reduction });
    case 'vaeLoss': {
      const r = vaeLoss(
        { reconstruction: t['reconstruction']!, input: t['input']!, mu: t['mu']!, logVar: t['logVar']! },
        { reduction, beta: o['beta'] as number, reconstruction: o['reconstruction'] as 'mse' | 'bce' },
      );
      tf.dispose([r.reconstruction, r.kl, r.ratio]);
      return r.loss;
    }
    default:
      throw new Error(`unknown fixture fn ${o.fn}`);
  }
}

describe(`losses against PyTorch ${fixtures.torch} fixtures`, () => {
  beforeAll(() => setPitfallWarnings(false));
  afterAll(() => setPitfallWarnings(true));

  for (const c of fixtures.cases) {
    it(c.name, () => expectGradientCase(c, run));
  }
});
