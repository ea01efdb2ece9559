import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@logitlab/core';
import { describe, expect, it } from 'vitest';
import { OnnxImportError } from './errors';
import { importOnnx } from './import-onnx';
import { encodeModel, fixtureBytes, fixtureModel } from './test-support';

const FIXTURES = ['convnet', 'resnet', 'unet', 'ops'] as const;

/** Imports `bytes`: either a model that runs on a batch of one, or an OnnxImportError; anything else is recorded. */
function probe(bytes: Uint8Array): 'ok' | 'typed' | string {
  let model;
  try {
    model = importOnnx(bytes);
  } catch (e) {
    return e instanceof OnnxImportError ? 'typed' : `untyped ${(e as Error).name}: ${(e as Error).message}`;
  }
  try {
    const x = tf.zeros([1, ...model.inputShape]);
    const y = model.call(x);
    tf.dispose([x, y]);
    return 'ok';
  } catch (e) {
    return `imported, then forward threw ${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    model.dispose();
  }
}

/** Byte-level damage: flipped bytes, a run of 0xff (huge varints), a cut, a repeated slice. */
function mutateBytes(rng: Rng, source: Uint8Array): Uint8Array {
  const b = Uint8Array.from(source);
  switch (rng.int(4)) {
    case 0:
      for (let k = 1 + rng.int(8); k > 0; k--) b[rng.int(b.length)] = rng.int(256);
      return b;
    case 1: {
      const at = rng.int(b.length - 10);
      b.fill(0xff, at, at + 1 + rng.int(10));
      return b;
    }
    case 2:
      return b.subarray(0, rng.int(b.length));
    default: {
      const at = rng.int(b.length);
      const len = rng.int(64);
      return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at, at + len), ...b.subarray(at)]);
    }
  }
}

type Obj = Record<string, unknown>;
const HOSTILE = [0, -1, 1, 3, 1_000_000, 2 ** 31, 2 ** 40, -(2 ** 40)];

/** Structure-level damage that still decodes: a dim, an attribute, an input name or an operator changed. */
function mutateModel(rng: Rng, m: Obj): Obj {
  const graph = m.graph as { node: Obj[]; initializer: Obj[]; input: Obj[] };
  const pick = <T>(xs: T[]): T | undefined => xs[rng.int(xs.length)];
  switch (rng.int(5)) {
    case 0: {
      const t = pick(graph.initializer) as { dims?: number[] } | undefined;
      if (t?.dims?.length) t.dims[rng.int(t.dims.length)] = pick(HOSTILE)!;
      break;
    }
    case 1: {
      const n = pick(graph.node) as { attribute?: { ints?: number[]; i?: number }[] } | undefined;
      const a = n?.attribute && pick(n.attribute);
      if (a?.ints?.length) a.ints[rng.int(a.ints.length)] = pick(HOSTILE)!;
      else if (a) a.i = pick(HOSTILE)!;
      break;
    }
    case 2: {
      const n = pick(graph.node) as { input?: string[] } | undefined;
      const other = pick(graph.node) as { output?: string[] } | undefined;
      if (n?.input?.length && other?.output?.length) n.input[rng.int(n.input.length)] = other.output[0]!;
      break;
    }
    case 3: {
      const n = pick(graph.node);
      if (n)
        n.opType = pick([
          'Relu',
          'Conv',
          'Gemm',
          'Reshape',
          'Concat',
          'Add',
          'Flatten',
          'MaxPool',
          'Transpose',
          'Softmax',
          'Resize',
          'Shape',
        ])!;
      break;
    }
    default: {
      const t = pick(graph.initializer) as { rawData?: number[] } | undefined;
      if (t?.rawData) t.rawData = t.rawData.slice(0, rng.int(t.rawData.length + 1));
    }
  }
  return m;
}

describe('importOnnx on mutated files (seeded fuzz)', () => {
  it('ends every case in a model that runs or an OnnxImportError, leaks nothing and keeps memory bounded', () => {
    const rng = new Rng(19);
    const sources = FIXTURES.map((name) => ({ bytes: fixtureBytes(name), model: JSON.stringify(fixtureModel(name)) }));
    const before = tf.memory().numTensors;
    const rssBefore = process.memoryUsage().rss;
    const outcomes = new Map<string, number>();
    const untyped: string[] = [];
    for (let k = 0; k < 240; k++) {
      const source = sources[k % sources.length]!;
      const bytes = k % 2 === 0 ? mutateBytes(rng, source.bytes) : encodeModel(mutateModel(rng, JSON.parse(source.model) as Obj));
      const outcome = probe(bytes);
      outcomes.set(outcome === 'ok' || outcome === 'typed' ? outcome : 'other', (outcomes.get(outcome) ?? 0) + 1);
      if (outcome !== 'ok' && outcome !== 'typed') untyped.push(`case ${k}: ${outcome}`);
      expect(tf.memory().numTensors, `case ${k} leaked`).toBe(before);
    }
    expect(untyped).toEqual([]);
    // both outcomes occur, so the mutations neither all miss nor all break the parse
    expect(outcomes.get('typed') ?? 0).toBeGreaterThan(20);
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(5);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 2 ** 20);
  });
});
