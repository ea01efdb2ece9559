import { OnnxImportError } from '../errors';
import { type Const, makeConst } from '../fold/value';
import { int64 } from './decode';
import type { TensorProto } from './types';

/** TensorProto.DataType codes we read, with their byte size in raw_data. */
const TYPES: Record<number, { name: string; bytes: number; dtype: Const['dtype'] }> = {
  1: { name: 'FLOAT', bytes: 4, dtype: 'float32' },
  2: { name: 'UINT8', bytes: 1, dtype: 'int' },
  3: { name: 'INT8', bytes: 1, dtype: 'int' },
  6: { name: 'INT32', bytes: 4, dtype: 'int' },
  7: { name: 'INT64', bytes: 8, dtype: 'int' },
  9: { name: 'BOOL', bytes: 1, dtype: 'int' },
  11: { name: 'DOUBLE', bytes: 8, dtype: 'float32' },
};

/** More elements than any model this library can hold; checked before anything is allocated. */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;

/**
 * A TensorProto's values. Every size is checked against the bytes the file really holds before a
 * buffer is made, so a tensor that claims 10^12 elements costs nothing but the error.
 */
export function readTensor(t: TensorProto, where: string): Const {
  const label = t.name ? `tensor '${t.name}'` : 'a tensor';
  if (t.dataLocation === 1 || t.externalData.length > 0) {
    throw new OnnxImportError(
      `${label} keeps its data in an external file (${t.externalData.map((e) => `${e.key}=${e.value}`).join(', ') || 'data_location=EXTERNAL'}); export with the weights inside the .onnx file (save_as_external_data=False)`,
      where,
    );
  }
  const type = TYPES[t.dataType];
  if (!type)
    throw new OnnxImportError(
      `${label} has data_type ${t.dataType}, expected one of ${Object.entries(TYPES)
        .map(([k, v]) => `${v.name} (${k})`)
        .join(', ')}`,
      where,
    );
  let count = 1;
  const dims = t.dims.map((d, i) => {
    const n = int64(d, `${label} dims[${i}]`, where);
    if (n < 0) throw new OnnxImportError(`${label} dims[${i}] = ${n} is negative`, where);
    count *= n;
    return n;
  });
  if (count > MAX_TENSOR_ELEMENTS) {
    throw new OnnxImportError(
      `${label} claims ${count} elements (dims [${dims.join(', ')}]), more than the ${MAX_TENSOR_ELEMENTS} an imported tensor may hold`,
      where,
    );
  }
  const raw = t.rawData;
  if (raw.length > 0) {
    if (raw.length !== count * type.bytes) {
      throw new OnnxImportError(
        `${label} has ${raw.length} bytes of raw_data, but dims [${dims.join(', ')}] of ${type.name} need ${count * type.bytes}`,
        where,
      );
    }
    return makeConst(type.dtype, dims, fromRaw(raw, t.dataType, count), t.name || undefined);
  }
  const field = t.dataType === 1 ? t.floatData : t.dataType === 7 ? t.int64Data : t.dataType === 11 ? t.doubleData : t.int32Data;
  if (field.length !== count) {
    throw new OnnxImportError(`${label} holds ${field.length} values, but dims [${dims.join(', ')}] need ${count}`, where);
  }
  if (type.dtype === 'float32') return makeConst('float32', dims, Float32Array.from(field as number[]), t.name || undefined);
  return makeConst(
    'int',
    dims,
    field.map((v, i) => int64(v, `${label}[${i}]`, where)),
    t.name || undefined,
  );
}

function fromRaw(raw: Uint8Array, dataType: number, count: number): Float32Array | number[] {
  // raw_data is a view into the file at any offset: DataView reads it unaligned, little-endian as ONNX stores it
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (dataType === 1) {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }
  if (dataType === 11) {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
    return out;
  }
  const out: number[] = Array.from({ length: count }, () => 0);
  for (let i = 0; i < count; i++) {
    out[i] =
      dataType === 7
        ? Number(view.getBigInt64(8 * i, true))
        : dataType === 6
          ? view.getInt32(4 * i, true)
          : dataType === 3
            ? view.getInt8(i)
            : view.getUint8(i);
  }
  return out;
}
