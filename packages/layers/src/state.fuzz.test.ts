import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  Linear,
  loadSafetensorsInto,
  moduleToSafetensors,
  SafetensorsError,
  Sequential,
  StateDictError,
  type StateDict,
} from './index';

/** mulberry32: a seeded generator local to this probe (the layers RNG is global state other tests use). */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T };
}
type Rng = ReturnType<typeof rng>;

const model = () => new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Linear(4, 2));

function snapshot(m: Sequential): string {
  const dict = m.stateDict();
  const out = JSON.stringify(Object.entries(dict).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(dict));
  return out;
}

function split(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  return { header, data: bytes.subarray(8 + n) };
}

function join(json: string, data: Uint8Array, lengthDelta = 0): Uint8Array {
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, h.length + lengthDelta)), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const JUNK: readonly unknown[] = [null, 0, -1, 1.5, 2 ** 53, 'x', '', [], [1], {}, { a: 1 }, true, '__proto__', 'F32', [0, 1e300], [-1, 4]];
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', '0.weight', '1.running_var', 'ü/ß', '__metadata__'];
const DTYPES = ['F32', 'F16', 'BF16', 'F64', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL', 'C64', 'f32', ''];

/** One hostile variation of a valid safetensors file; returns its kind and bytes. */
function mutateFile(good: Uint8Array, r: Rng): { kind: string; bytes: Uint8Array } {
  const { header, data } = split(good);
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const name = r.pick(names);
  const entry = header[name] as { dtype: unknown; shape: unknown; data_offsets: unknown };
  const data2 = data.slice();
  let json: string | undefined;
  let lengthDelta = 0;
  const kind = r.pick([
    'dtype',
    'shape',
    'offsets',
    'rename',
    'delete',
    'metadata',
    'header-length',
    'data',
    'not-object',
    'duplicate-key',
    'entry-junk',
  ]);
  switch (kind) {
    case 'dtype':
      entry.dtype = r.next() < 0.8 ? r.pick(DTYPES) : r.pick(JUNK);
      break;
    case 'shape':
      entry.shape = r.next() < 0.5 ? r.pick(JUNK) : [...(entry.shape as number[]), r.pick([0, 1, 2, -3, 0.5, 2 ** 31])];
      break;
    case 'offsets': {
      const [a, b] = entry.data_offsets as [number, number];
      entry.data_offsets = r.pick([[b, a], [a, b + 4], [a + 1, b], [a, 2 ** 60], [a, b, 0], r.pick(JUNK)]);
      break;
    }
    case 'rename':
      delete header[name];
      // defineProperty: a plain assignment to "__proto__" would set the prototype, not add a key
      Object.defineProperty(header, r.pick(NAMES), { value: entry, enumerable: true, configurable: true, writable: true });
      break;
    case 'delete':
      delete header[name];
      break;
    case 'metadata':
      header['__metadata__'] = r.pick([...JUNK, { format: 'pt', n: 1 }, { __proto__: 'x' }, { k: { nested: 'y' } }]);
      break;
    case 'header-length':
      lengthDelta = r.pick([-1, 1, -8, 100, -1000]);
      break;
    case 'data':
      // any bit pattern is a float32 (NaN, Inf): loads as PyTorch would
      for (let i = 0; i < 4; i++) data2[r.int(data2.length)] = r.int(256);
      break;
    case 'not-object':
      json = JSON.stringify(r.pick([[1, 2], 'header', 3, null, true]));
      break;
    case 'duplicate-key':
      json = JSON.stringify(header).replace(/^\{/, `{"${name}":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},`);
      break;
    default:
      header[name] = r.pick(JUNK);
  }
  return { kind, bytes: join(json ?? JSON.stringify(header), data2, lengthDelta) };
}

/** One hostile variation of a valid state dict (it owns whatever tensors it holds). */
function mutateDict(dict: StateDict, r: Rng): string {
  const names = Object.keys(dict);
  const name = r.pick(names);
  const kind = r.pick(['dispose', 'shape', 'dtype', 'not-tensor', 'extra', 'delete', 'proto-key', 'scalar']);
  // a second mutation may find junk where the first put it
  const free = () => {
    const old: unknown = dict[name];
    if (old instanceof tf.Tensor) old.dispose();
  };
  const replace = (v: unknown) => {
    free();
    (dict as Record<string, unknown>)[name] = v;
  };
  switch (kind) {
    case 'dispose':
      free();
      break;
    case 'shape':
      replace(tf.zeros([r.int(5) + 1, r.int(3) + 1]));
      break;
    case 'dtype':
      replace(r.next() < 0.5 ? tf.zeros(dict[name] instanceof tf.Tensor ? dict[name].shape : [1], 'int32') : tf.tensor(['s']));
      break;
    case 'not-tensor':
      replace(r.pick(JUNK));
      break;
    case 'extra':
      dict[r.pick(NAMES) + '.extra'] = tf.zeros([1]);
      break;
    case 'delete':
      free();
      delete dict[name];
      break;
    case 'proto-key':
      Object.defineProperty(dict, '__proto__', { value: tf.zeros([1]), enumerable: true, configurable: true, writable: true });
      break;
    default:
      replace(tf.scalar(1));
  }
  return kind;
}

describe('safetensors and state-dict probe (seeded)', () => {
  it('hostile safetensors files end in a typed error, leave the model unchanged and leak nothing', () => {
    const m = model();
    const good = moduleToSafetensors(m);
    const clean = snapshot(m);
    const r = rng(14);
    const outcomes = new Map<string, number>();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 600; i++) {
      const { kind, bytes } = mutateFile(good, r);
      const strict = r.next() < 0.7;
      let outcome = 'loaded';
      try {
        loadSafetensorsInto(m, bytes, { strict });
      } catch (e) {
        if (!(e instanceof SafetensorsError || e instanceof StateDictError))
          throw new Error(`case ${i} (${kind}) threw ${String(e)}`, { cause: e });
        outcome = e.name;
        expect(snapshot(m), `case ${i} (${kind}) changed the model`).toBe(clean);
      }
      expect(tf.memory().numTensors, `case ${i} (${kind}) leaked`).toBe(before);
      if (outcome === 'loaded') loadSafetensorsInto(m, good);
      outcomes.set(`${kind}:${outcome}`, (outcomes.get(`${kind}:${outcome}`) ?? 0) + 1);
    }
    console.log(`safetensors probe: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    expect([...outcomes.keys()].some((k) => k.endsWith('SafetensorsError'))).toBe(true);
    expect([...outcomes.keys()].some((k) => k.endsWith('StateDictError'))).toBe(true);
    m.dispose();
  });

  it('hostile state dicts end in a StateDictError, leave the model unchanged and leak nothing', () => {
    const m = model();
    const source = model();
    const clean = snapshot(m);
    const cleanDict = m.stateDict();
    const r = rng(41);
    const outcomes = new Map<string, number>();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 400; i++) {
      const dict = source.stateDict();
      const kinds = [mutateDict(dict, r)];
      if (r.next() < 0.3) kinds.push(mutateDict(dict, r));
      const strict = r.next() < 0.7;
      let outcome = 'loaded';
      try {
        m.loadStateDict(dict, { strict });
      } catch (e) {
        if (!(e instanceof StateDictError)) throw new Error(`case ${i} (${kinds.join('+')}) threw ${String(e)}`, { cause: e });
        outcome = 'StateDictError';
        expect(snapshot(m), `case ${i} (${kinds.join('+')}) changed the model`).toBe(clean);
      }
      tf.dispose(Object.values(dict).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
      expect(tf.memory().numTensors, `case ${i} (${kinds.join('+')}) leaked`).toBe(before);
      if (outcome === 'loaded') {
        // back to the clean weights for the next case
        m.loadStateDict(cleanDict);
      }
      outcomes.set(`${kinds[0]}:${outcome}`, (outcomes.get(`${kinds[0]}:${outcome}`) ?? 0) + 1);
    }
    console.log(`state-dict probe: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    tf.dispose(Object.values(cleanDict));
    m.dispose();
    source.dispose();
  });
});
