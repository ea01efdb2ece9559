import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { ExplainModelError, ExplainOptionsError, explain, registerLrpLayer, zPlusRule } from '@logitlab/explain';
import { Linear, Module, ReLU, Sequential } from '@logitlab/layers';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { sourceEntries } from '../../../scripts/source-paths.mjs';

// Layers defined here, outside every package: LRP learns about them only through registerLrpLayer.

/** y = x * s per feature: a diagonal linear map with one parameter. */
class Scale extends Module {
  readonly s: tf.Variable;
  constructor(values: number[]) {
    super();
    this.s = this.registerParameter('s', tf.tensor1d(values));
  }
  override get typeName(): string {
    return 'Scale';
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, this.s);
  }
}
registerLrpLayer(Scale, {
  family: 'dense',
  linearMap: (m) => ({
    weight: m.s,
    bias: null,
    apply: (x, w) => tf.mul(x, w!),
    transpose: (s, w) => tf.mul(s, w!),
  }),
});

/** A subclass of a registered layer inherits its spec. */
class NamedScale extends Scale {}

/** Parameter-free and unregistered: before registration, LRP silently scaled relevance by its derivative. */
class Square extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.square(x);
  }
}

/** Parametrised and unregistered. */
class Shift extends Module {
  readonly b: tf.Variable;
  constructor(n: number) {
    super();
    this.b = this.registerParameter('b', tf.zeros([n]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(x, this.b);
  }
}

/** Scale [2, -1, 0.5] then a bias-free sum: f([1, 2, 3]) = 2 - 2 + 1.5 = 1.5. */
function scaledSum(scale: typeof Scale = Scale): Sequential {
  const sum = new Linear(3, 1, { bias: false });
  sum.weight.assign(tf.ones([3, 1]));
  return new Sequential(new scale([2, -1, 0.5]), sum);
}

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('registerLrpLayer: a layer from outside the packages', () => {
  it('LRP-epsilon (epsilon -> 0) gives x_i s_i w_i, conserving f(x)', () => {
    const net = scaledSum();
    const x = tf.tensor2d([[1, 2, 3]]);
    const before = tf.memory().numTensors;
    const e = explain(net, x, { composite: 'epsilon', epsilon: 1e-9 });
    expect(values(e.relevance)).toEqual([2, -2, 1.5].map((v) => expect.closeTo(v, 5)));
    expect(e.score[0]).toBeCloseTo(1.5, 6);
    expect(Math.abs(e.conservation.delta[0]!)).toBeLessThan(1e-5);
    e.relevance.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });

  it('z+ through the sum and the Scale (byType by its typeName): hand-computed [6/7, 0, 4.5/7]', () => {
    // the sum's positive contributions are a = [2, 0, 1.5] of 3.5, so R_a = a * 1.5 / 3.5; Scale's unit i
    // has the single contribution x_i s_i, positive for i = 0 and 2 and dropped for i = 1
    const net = scaledSum(NamedScale);
    const x = tf.tensor2d([[1, 2, 3]]);
    const e = explain(net, x, { composite: { dense: zPlusRule(), byType: { Scale: zPlusRule() } } });
    expect(values(e.relevance)).toEqual([6 / 7, 0, 4.5 / 7].map((v) => expect.closeTo(v, 5)));
    const byType = explain(net, x, { composite: { dense: zPlusRule() } });
    expect(values(byType.relevance)).toEqual(values(e.relevance));
    tf.dispose([e.relevance, byType.relevance, x]);
    net.dispose();
  });

  for (const [label, layer] of [
    ['parameter-free', () => new Square()],
    ['parametrised', () => new Shift(4)],
  ] as const) {
    it(`an unregistered ${label} layer fails typed, naming the layer, its type and registerLrpLayer; gradients still work`, () => {
      const net = new Sequential(new Linear(3, 4), layer(), new ReLU(), new Linear(4, 2));
      const x = tf.tensor2d([[1, 2, 3]]);
      const before = tf.memory().numTensors;
      const type = net.at(1)!.typeName;
      expect(() => explain(net, x)).toThrow(ExplainModelError);
      expect(() => explain(net, x)).toThrow(new RegExp(`layer '1' \\(${type}\\).*registerLrpLayer`));
      expect(tf.memory().numTensors).toBe(before);
      const g = explain(net, x, { method: 'gradient' });
      g.relevance.dispose();
      x.dispose();
      net.dispose();
    });
  }

  it('refuses a malformed registration, naming what it expected', () => {
    class Other extends Module {
      forward(x: tf.Tensor): tf.Tensor {
        return x;
      }
    }
    expect(() => registerLrpLayer(null as never, { passThrough: true })).toThrow(ExplainOptionsError);
    expect(() => registerLrpLayer(Other, {} as never)).toThrow(/exactly one of linearMap, passThrough, followGradient, normalisation/);
    expect(() => registerLrpLayer(Other, { passThrough: true, followGradient: true } as never)).toThrow(/passThrough and followGradient/);
    expect(() => registerLrpLayer(Other, { passThrough: false } as never)).toThrow(/passThrough must be true, got false/);
    expect(() => registerLrpLayer(Other, { linearMap: (() => null) as never, family: 'dense2' as never })).toThrow(
      /family must be one of dense, conv, pool, got "dense2"/,
    );
    expect(() => registerLrpLayer(Other, { linearMap: 3 as never, family: 'dense' })).toThrow(/linearMap must be a function, got number/);
    // nothing was registered by the failed calls
    const net = new Sequential(new Other(), new Linear(2, 2));
    const x = tf.ones([1, 2]);
    expect(() => explain(net, x)).toThrow(/LRP does not know layer '0'/);
    x.dispose();
    net.dispose();
  });
});

describe('composite.byType in a minified production bundle', () => {
  it('matches the registered typeName although the minifier renamed the classes', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-minified-'));
    // z+ everywhere vs epsilon on dense layers with z+ by type: equal only if byType finds 'Linear'
    const entry = `
      import '@tensorflow/tfjs-backend-cpu';
      import '@tensorflow/tfjs-core/dist/register_all_gradients';
      import * as tf from '@tensorflow/tfjs-core';
      import { explain, epsilonRule, zPlusRule } from '@logitlab/explain';
      import { Linear, ReLU, Sequential, manualSeed } from '@logitlab/layers';
      tf.setBackend('cpu');
      manualSeed(1);
      const net = new Sequential(new Linear(6, 5), new ReLU(), new Linear(5, 3));
      const x = tf.randomUniform([2, 6], 0, 1, 'float32', 2);
      const run = (composite) => Array.from(explain(net, x, { composite }).relevance.dataSync());
      const plus = run({ dense: zPlusRule() });
      const byType = run({ dense: epsilonRule(), byType: { Linear: zPlusRule() } });
      const eps = run({ dense: epsilonRule() });
      console.log(JSON.stringify({ className: net.at(0).constructor.name, plus, byType, eps }));
    `;
    await build({
      stdin: { contents: entry, resolveDir: path.join(root, 'packages', 'explain'), loader: 'js' },
      bundle: true,
      minify: true,
      platform: 'node',
      // the ESM builds, as a web bundler picks: tfjs's Node builds are not in their sideEffects lists, so
      // esbuild would drop the backend's registration
      mainFields: ['module', 'main'],
      format: 'cjs', // tfjs-core's Node build requires 'util'
      outfile: path.join(dir, 'bundle.cjs'),
      alias: Object.fromEntries(sourceEntries({ browser: true }).map((e) => [e.specifier, path.join(root, e.file)])),
      logLevel: 'silent',
    });
    const r = spawnSync(process.execPath, [path.join(dir, 'bundle.cjs')], { encoding: 'utf8', timeout: 120_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { className: string; plus: number[]; byType: number[]; eps: number[] };
    expect(out.className).not.toBe('Linear'); // the bundle really mangled the names constructor.name gives
    expect(out.byType).toEqual(out.plus);
    expect(out.byType).not.toEqual(out.eps);
  });
});
