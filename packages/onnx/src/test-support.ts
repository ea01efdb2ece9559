// Test-only: builds .onnx bytes from plain objects with protobufjs and the package's schema, so bad-input
// tests can write exactly the hostile file they mean (the importer only ever decodes).
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs/light.js';
import { onnxSchema } from './proto/schema';

const root = protobuf.Root.fromJSON(onnxSchema);
const modelType = root.lookupType('onnx.ModelProto');

export function encodeModel(proto: Record<string, unknown>): Uint8Array {
  return modelType.encode(modelType.fromObject(proto)).finish();
}

/** A committed fixture decoded to a plain object, to change and encode again. */
export function fixtureModel(name: string): Record<string, unknown> {
  const bytes = new Uint8Array(readFileSync(new URL(`./fixtures/${name}.onnx`, import.meta.url)));
  return modelType.toObject(modelType.decode(bytes), { longs: Number, bytes: Array, defaults: false }) as Record<string, unknown>;
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}.onnx`, import.meta.url)));
}

const FLOAT = 1;
const INT64 = 7;

export function floatTensor(name: string, dims: number[], values?: number[]): Record<string, unknown> {
  const data = values ?? Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i + 1));
  return { name, dims, dataType: FLOAT, floatData: data };
}

export function int64Tensor(name: string, values: number[]): Record<string, unknown> {
  return { name, dims: [values.length], dataType: INT64, int64Data: values };
}

export function valueInfo(name: string, dims: (number | string)[]): Record<string, unknown> {
  return {
    name,
    type: {
      tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } },
    },
  };
}

/** A one-input, one-output model around `nodes` and `initializer`, opset 13. */
export function model(
  nodes: Record<string, unknown>[],
  initializer: Record<string, unknown>[] = [],
  { input = valueInfo('x', ['N', 4]), output = valueInfo('y', ['N', 3]), opset = 13 } = {},
): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: { node: nodes, initializer, input: [input], output: [output] },
  });
}
