import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { expectClose, toTensor, type FixtureTensor } from '../../../scripts/test-utils/fixture-utils';
import { AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, Linear, MaxPool2d, type Module, type Pair } from './index';

// read at run time rather than imported: TypeScript would otherwise infer a type for every number
const load = <T>(name: string): { torch: string; cases: T[] } =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

interface LayerCase {
  name: string;
  options: Record<string, unknown> & { layer: string };
  inputs: Record<string, FixtureTensor>;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}

function build(c: LayerCase): Module {
  const o = c.options;
  const p = (k: string) => o[k] as Pair | undefined;
  switch (o.layer) {
    case 'Conv2d':
      return new Conv2d(o['in'] as number, o['out'] as number, o['kernel_size'] as Pair, {
        stride: p('stride'),
        padding: o['padding'] as Pair | 'same' | undefined,
        dilation: p('dilation'),
      });
    case 'MaxPool2d':
      return new MaxPool2d(o['kernel_size'] as Pair, { stride: p('stride'), padding: p('padding') });
    case 'AvgPool2d':
      return new AvgPool2d(o['kernel_size'] as Pair, {
        stride: p('stride'),
        padding: p('padding'),
        countIncludePad: o['countIncludePad'] !== false,
      });
    case 'Linear':
      return new Linear(o['in'] as number, o['out'] as number);
    default:
      throw new Error(`unknown layer ${o.layer}`);
  }
}

const layerFixtures = load<LayerCase>('layers.json');

describe(`layers against PyTorch ${layerFixtures.torch} fixtures (NCHW transposed to NHWC)`, () => {
  for (const c of layerFixtures.cases) {
    it(c.name, () => {
      const before = tf.memory().numTensors;
      const layer = build(c);
      const dict = Object.fromEntries(
        Object.entries(c.inputs)
          .filter(([k]) => k !== 'x')
          .map(([k, v]) => [k, toTensor(v)]),
      );
      if (Object.keys(dict).length) layer.loadStateDict(dict);
      const x0 = toTensor(c.inputs['x']!);
      const x = tf.variable(x0, true);
      const upstream = toTensor(c.upstream);
      const named = Object.fromEntries(layer.namedParameters());
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.call(x), upstream)) as tf.Scalar, [x, ...Object.values(named)]);
      const out = layer.call(x);
      expectClose(out, c.output, `${c.name} output`);
      expectClose(grads[x.name]!, c.grads['x']!, `${c.name} d/dx`);
      // parameter gradients come back in tfjs layout; export them the way stateDict does
      for (const [key, v] of Object.entries(named)) {
        const g = grads[v.name]!;
        const torchG = tf.tidy(() => (g.rank === 2 ? tf.transpose(g) : g.rank === 4 ? tf.transpose(g, [3, 2, 0, 1]) : g.clone()));
        expectClose(torchG, c.grads[key]!, `${c.name} d/d${key}`);
        torchG.dispose();
      }
      tf.dispose([value, out, x0, x, upstream, ...Object.values(grads), ...Object.values(dict)]);
      layer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

interface BnPass {
  x: FixtureTensor;
  y: FixtureTensor;
  upstream: FixtureTensor;
  gradX: FixtureTensor;
  gradWeight: FixtureTensor;
  gradBias: FixtureTensor;
  runningMean: FixtureTensor;
  runningVar: FixtureTensor;
  numBatchesTracked: number;
}

interface BnCase {
  name: string;
  momentum: number | null;
  weight: FixtureTensor;
  bias: FixtureTensor;
  passes: BnPass[];
  eval: { x: FixtureTensor; y: FixtureTensor };
}

const bnFixtures = load<BnCase>('batchnorm.json');

describe('BatchNorm against PyTorch: running stats over train passes, gradients, eval output', () => {
  for (const c of bnFixtures.cases) {
    it(c.name, () => {
      const before = tf.memory().numTensors;
      const Ctor = c.name.startsWith('BatchNorm2d') ? BatchNorm2d : BatchNorm1d;
      const bn = new Ctor(3, { momentum: c.momentum });
      const w = toTensor(c.weight);
      const b = toTensor(c.bias);
      const rm = tf.zeros([3]);
      const rv = tf.ones([3]);
      const nb = tf.scalar(0, 'int32');
      bn.loadStateDict({ weight: w, bias: b, running_mean: rm, running_var: rv, num_batches_tracked: nb });
      tf.dispose([w, b, rm, rv, nb]);
      for (const [i, p] of c.passes.entries()) {
        const x = toTensor(p.x);
        const up = toTensor(p.upstream);
        // one forward per pass (the running stats move once): output, input and affine gradients together
        const xv = tf.variable(x);
        let value: tf.Tensor | undefined;
        const { value: loss, grads } = tf.variableGrads(() => {
          value = tf.keep(bn.call(xv));
          return tf.sum(tf.mul(value, up));
        }, [xv, bn.weight!, bn.bias!]);
        expectClose(value!, p.y, `${c.name} pass ${i} output`);
        expectClose(grads[xv.name]!, p.gradX, `${c.name} pass ${i} d/dx`);
        expectClose(grads[bn.weight!.name]!, p.gradWeight, `${c.name} pass ${i} d/dweight`);
        expectClose(grads[bn.bias!.name]!, p.gradBias, `${c.name} pass ${i} d/dbias`);
        expectClose(bn.runningMean!, p.runningMean, `${c.name} pass ${i} running_mean`);
        expectClose(bn.runningVar!, p.runningVar, `${c.name} pass ${i} running_var`);
        expect(bn.numBatchesTracked!.dataSync()[0]).toBe(p.numBatchesTracked);
        tf.dispose([x, xv, up, value!, loss, grads]);
      }
      bn.eval();
      const xe = toTensor(c.eval.x);
      const ye = bn.call(xe);
      expectClose(ye, c.eval.y, `${c.name} eval output`);
      tf.dispose([xe, ye]);
      bn.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
