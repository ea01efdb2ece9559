import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  Conv2d,
  DtypeError,
  Linear,
  loadSafetensors,
  loadSafetensorsInto,
  saveSafetensors,
  Sequential,
  StateDictError,
  type StateDict,
} from './index';

let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

function model() {
  return new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Linear(4, 2));
}

/** Every parameter and buffer as plain numbers, to show a failed load changed nothing. */
function snapshot(m: Sequential): Record<string, number[]> {
  const dict = m.stateDict();
  const out = Object.fromEntries(Object.entries(dict).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(dict));
  return out;
}

describe('safetensors names', () => {
  it('keeps a tensor named __proto__ as an ordinary key and leaks nothing', () => {
    const t = tf.tensor1d([1, 2, 3]);
    const dict = Object.create(null) as StateDict;
    dict['__proto__'] = t;
    dict['ok'] = t;
    const bytes = saveSafetensors(dict, JSON.parse('{"__proto__": "meta"}') as Record<string, string>);
    t.dispose();
    const { tensors, metadata } = loadSafetensors(bytes);
    expect(Object.keys(tensors).sort()).toEqual(['__proto__', 'ok']); // oxlint-disable-line unicorn/no-array-sort
    expect(Array.from(tensors['__proto__']!.dataSync())).toEqual([1, 2, 3]);
    expect(Object.keys(metadata)).toEqual(['__proto__']);
    expect(metadata['__proto__']).toBe('meta');
    tf.dispose(Object.values(tensors));
  });

  it('loadSafetensorsInto reports a __proto__ tensor as unexpected and frees it', () => {
    const m = new Linear(2, 1);
    const dict = m.stateDict();
    const extra = Object.assign(Object.create(null) as StateDict, dict);
    extra['__proto__'] = dict['bias']!;
    const bytes = saveSafetensors(extra);
    tf.dispose(Object.values(dict));
    expect(() => loadSafetensorsInto(m, bytes)).toThrow(/unexpected keys \[__proto__\]/);
    expect(loadSafetensorsInto(m, bytes, { strict: false }).unexpectedKeys).toEqual(['__proto__']);
    m.dispose();
  });
});

/** Loads a mutated copy of another model's state dict; reports the error and whether the model changed. */
function attempt(mutate: (dict: StateDict) => void, strict = true): { error: unknown; changed: boolean } {
  const m = model();
  const target = model();
  const good = snapshot(m);
  const dict = target.stateDict();
  mutate(dict);
  let error: unknown;
  try {
    m.loadStateDict(dict, { strict });
  } catch (e) {
    error = e;
  }
  const changed = JSON.stringify(snapshot(m)) !== JSON.stringify(good);
  tf.dispose(Object.values(dict).filter((t) => t instanceof tf.Tensor));
  m.dispose();
  target.dispose();
  return { error, changed };
}

describe('loadStateDict is all or nothing', () => {
  const cases: Array<[string, (d: StateDict) => void, RegExp]> = [
    ['a disposed tensor midway', (d) => d['1.running_mean']!.dispose(), /1\.running_mean: the tensor is disposed/],
    ['a disposed last tensor', (d) => d['2.bias']!.dispose(), /2\.bias: the tensor is disposed/],
    [
      'a wrong shape at the end',
      (d) => replace(d, '2.bias', tf.zeros([3])),
      /2\.bias: size mismatch: checkpoint has \[3\], model expects \[2\]/,
    ],
    ['a string tensor', (d) => replace(d, '1.weight', tf.tensor(['a', 'b', 'c', 'd'])), /1\.weight: dtype string cannot be loaded/],
    ['a plain array', (d) => replaceRaw(d, '2.weight', [[1, 2]]), /2\.weight: expected a tf\.Tensor, got an array/],
    ['null', (d) => replaceRaw(d, '0.bias', null), /0\.bias: expected a tf\.Tensor, got null/],
  ];
  for (const [name, mutate, message] of cases) {
    it(`rejects ${name} with a StateDictError before writing anything`, () => {
      const { error, changed } = attempt(mutate);
      expect(error).toBeInstanceOf(StateDictError);
      expect((error as Error).message).toMatch(message);
      expect(changed).toBe(false);
    });
  }

  it('rejects a non-object dict', () => {
    const m = new Linear(2, 1);
    const t = tf.zeros([1]);
    for (const bad of [null, undefined, 3, [t]]) expect(() => m.loadStateDict(bad as unknown as StateDict)).toThrow(StateDictError);
    t.dispose();
    m.dispose();
  });

  it('does not find Object.prototype names (a key "constructor" is missing, not present)', () => {
    class Odd extends Linear {
      constructor() {
        super(1, 1, { bias: false });
        this.registerBuffer('constructor', tf.zeros([1]));
      }
    }
    const m = new Odd();
    const dict = m.stateDict();
    const w = dict['weight']!;
    expect(() => m.loadStateDict({ weight: w })).toThrow(/missing keys \[constructor\]/);
    tf.dispose(Object.values(dict));
    m.dispose();
  });

  it('still loads a good dict, casting int32 to float32 as PyTorch copy_ does', () => {
    const m = new Linear(2, 1);
    const w = tf.tensor2d([[1, 2]], [1, 2], 'int32');
    const b = tf.tensor1d([3]);
    m.loadStateDict({ weight: w, bias: b });
    expect(Array.from(m.weight.dataSync())).toEqual([1, 2]);
    expect(m.weight.dtype).toBe('float32');
    tf.dispose([w, b]);
    m.dispose();
  });
});

function replace(d: StateDict, key: string, t: tf.Tensor): void {
  d[key]!.dispose();
  d[key] = t;
}
function replaceRaw(d: StateDict, key: string, v: unknown): void {
  d[key]!.dispose();
  (d as Record<string, unknown>)[key] = v;
}

describe('layers reject int32 input like PyTorch', () => {
  const layers: Array<[string, () => { call(x: tf.Tensor): tf.Tensor; dispose(): void }, number[]]> = [
    ['Linear', () => new Linear(3, 2), [2, 3]],
    ['Conv2d', () => new Conv2d(1, 2, 3), [1, 5, 5, 1]],
    ['BatchNorm1d', () => new BatchNorm1d(3), [2, 3]],
  ];
  for (const [name, make, shape] of layers) {
    it(name, () => {
      const layer = make();
      const x = tf.zeros(shape, 'int32');
      expect(() => layer.call(x)).toThrow(DtypeError);
      expect(() => layer.call(x)).toThrow(/expects float32 input, got int32/);
      x.dispose();
      layer.dispose();
    });
  }
});
