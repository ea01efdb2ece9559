import protobuf from 'protobufjs/light.js';
import { OnnxImportError } from '../errors';
import { onnxSchema } from './schema';
import type { Int64, ModelProto } from './types';

let modelType: protobuf.Type | null = null;

/** Decodes the bytes of an .onnx file; protobufjs's own errors (truncated, bad wire type...) become OnnxImportError. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  if (!(bytes instanceof Uint8Array)) {
    throw new OnnxImportError(`importOnnx expects the file's bytes as a Uint8Array, got ${describe(bytes)}`);
  }
  if (bytes.length === 0) throw new OnnxImportError('the file is empty (0 bytes), expected an ONNX ModelProto');
  modelType ??= protobuf.Root.fromJSON(onnxSchema).lookupType('onnx.ModelProto');
  let model: ModelProto;
  try {
    model = modelType.decode(bytes) as unknown as ModelProto;
  } catch (e) {
    throw new OnnxImportError(
      `not a valid ONNX protobuf (${(e as Error).message}); is the file truncated or not an .onnx model?`,
      undefined,
      {
        cause: e,
      },
    );
  }
  if (!model.graph) throw new OnnxImportError('the file holds no graph (ModelProto.graph is missing); is it an .onnx model?');
  return model;
}

/** An int64 field as a safe JS integer, or a typed error naming the field. */
export function int64(v: Int64, field: string, node?: string): number {
  const n = typeof v === 'number' ? v : (v.unsigned ? v.high >>> 0 : v.high) * 2 ** 32 + (v.low >>> 0);
  if (!Number.isSafeInteger(n)) throw new OnnxImportError(`${field} = ${String(n)} is not a safe integer`, node);
  return n;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'an object';
}
