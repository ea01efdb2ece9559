// The one safetensors header parser (loadSafetensors and train's checkpoint checks both read it):
// entries in the header's order with their byte ranges, no tensor built, and a SafetensorsError that
// names the defect for each kind of bad header.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SafetensorsError, readSafetensorsHeader, saveSafetensors } from './index';

/** A file of 8-byte length + the given header text + `data` bytes. */
function file(header: string, data = 0): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe('readSafetensorsHeader', () => {
  it("reads the entries in the header's order with their byte ranges and the metadata, building no tensor", () => {
    const dict = { w: tf.tensor2d([1, 2, 3, 4], [2, 2]), b: tf.tensor1d([7], 'int32') };
    const bytes = saveSafetensors(dict, { note: 'hi' });
    tf.dispose(Object.values(dict));
    const before = tf.memory().numTensors;
    const { metadata, entries, dataStart } = readSafetensorsHeader(bytes);
    expect(tf.memory().numTensors).toBe(before);
    expect({ ...metadata }).toEqual({ note: 'hi' });
    // in the file's order (saveSafetensors writes the names sorted)
    expect([...entries]).toEqual([
      ['b', { dtype: 'I32', shape: [1], begin: 0, end: 4 }],
      ['w', { dtype: 'F32', shape: [2, 2], begin: 4, end: 20 }],
    ]);
    expect(bytes.length - dataStart).toBe(20);
    expect(dataStart % 8).toBe(0);
  });

  it('keeps a tensor or metadata key named "__proto__" as an ordinary key', () => {
    const h = readSafetensorsHeader(
      file('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"__metadata__":{"__proto__":"x"}}', 1),
    );
    expect([...h.entries.keys()]).toEqual(['__proto__']);
    expect(Object.keys(h.metadata)).toEqual(['__proto__']);
  });

  it('names the defect of each bad header in a SafetensorsError', () => {
    const long = new Uint8Array(16);
    new DataView(long.buffer).setBigUint64(0, 2n ** 62n, true);
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(5), /5 bytes, expected at least 8/],
      [long, /header length 4611686018427387904 exceeds the 100000000-byte limit/],
      [file('{}').subarray(0, 9), /header claims 2 bytes but only 1 follow/],
      [file('{"a":'), /not valid UTF-8 JSON/],
      [file('[1, 2]'), /must be a JSON object/],
      [file('{"__metadata__":["x"]}'), /__metadata__ must be an object of strings/],
      [file('{"__metadata__":{"n":1}}'), /__metadata__\["n"\] must be a string, got number/],
      [file('{"a":3}'), /header entry "a" must be an object/],
      [file('{"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}'), /"a" has unsupported dtype "C64"; expected one of F64/],
      [file('{"a":{"dtype":"toString","shape":[1],"data_offsets":[0,8]}}'), /unsupported dtype "toString"/],
      [file('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}'), /"a" has an invalid shape \[-1\]/],
      [file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}'), /"a" has invalid data_offsets \[4,0\]; expected \[begin, end\]/],
      [file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}'), /invalid data_offsets \[0\]/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => readSafetensorsHeader(bytes), String(message)).toThrow(SafetensorsError);
      expect(() => readSafetensorsHeader(bytes), String(message)).toThrow(message);
    }
  });
});
