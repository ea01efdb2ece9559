import * as tf from '@tensorflow/tfjs-core';
import { SafetensorsError } from './errors';
import type { StateDict } from './module';
import { DTYPE_BYTES, type SafetensorsEntry, readSafetensorsHeader } from './safetensors-header';

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
 * header { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: { string: string } },
 * then the raw little-endian data. No fs here: callers write and read the bytes (Node or browser).
 */
export type SafetensorsMetadata = Record<string, string>;

/** Serialises a state dict (float32 -> F32, int32 -> I32, bool -> BOOL). Keys are written sorted. */
export function saveSafetensors(dict: StateDict, metadata?: SafetensorsMetadata): Uint8Array {
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh array; toSorted is ES2023
  const names = Object.keys(dict).sort();
  // null prototype: a tensor named "__proto__" is an ordinary key, not the object's prototype
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (metadata && Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(`metadata values must be strings, got ${typeof v} for "${k}"`);
    }
    header['__metadata__'] = metadata;
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = dict[name] as tf.Tensor;
    const values = t.dataSync();
    let bytes: Uint8Array;
    let dtype: string;
    if (t.dtype === 'float32') [dtype, bytes] = ['F32', toBytes(Float32Array.from(values as Float32Array))];
    else if (t.dtype === 'int32') [dtype, bytes] = ['I32', toBytes(Int32Array.from(values as Int32Array))];
    else if (t.dtype === 'bool') [dtype, bytes] = ['BOOL', Uint8Array.from(values as Uint8Array)];
    else throw new SafetensorsError(`cannot save "${name}" of dtype ${t.dtype}; expected float32, int32 or bool`);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // pad with spaces so the data starts 8-byte aligned, as the reference writer does
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

function toBytes(a: Float32Array | Int32Array): Uint8Array {
  // typed arrays are little-endian on every platform tfjs runs on
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Parses safetensors bytes into tensors (caller owns them). F32 -> float32; F64, F16, BF16 ->
 * float32; I64 -> int32 (values must fit); I32, I16, I8, U8 -> int32; BOOL -> bool.
 * Any defect (truncation, bad JSON, overlapping or out-of-range offsets) is a SafetensorsError.
 * `tensors` and `metadata` have null prototypes, so any name (even "__proto__") is an ordinary key.
 */
export function loadSafetensors(bytes: Uint8Array | ArrayBuffer): { tensors: StateDict; metadata: SafetensorsMetadata } {
  // re-wrap: a Node Buffer's `slice` is a view and its `.buffer` is often a shared pool
  const buf = bytes instanceof Uint8Array ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  const { metadata, entries, dataStart } = readSafetensorsHeader(buf);
  const data = buf.subarray(dataStart);
  // offsets must tile the data buffer exactly, in order, without gaps or overlaps
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
  const sorted = [...entries].sort((a, b) => a[1].begin - b[1].begin);
  let expectedStart = 0;
  for (const [name, e] of sorted) {
    if (e.begin !== expectedStart)
      throw new SafetensorsError(`tensor "${name}" starts at byte ${e.begin}, expected ${expectedStart} (gap or overlap)`);
    const need = e.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[e.dtype] ?? 0);
    if (e.end - e.begin !== need)
      throw new SafetensorsError(`tensor "${name}" ${e.dtype}[${e.shape.join(', ')}] needs ${need} bytes, offsets give ${e.end - e.begin}`);
    expectedStart = e.end;
  }
  if (expectedStart !== data.length)
    throw new SafetensorsError(
      `safetensors data is ${data.length} bytes but the header describes ${expectedStart} (truncated or trailing bytes)`,
    );
  // null prototype: a tensor named "__proto__" must be stored, not set the prototype (and leak)
  const tensors: StateDict = Object.create(null) as StateDict;
  try {
    for (const [name, e] of entries) tensors[name] = decode(name, e, data.subarray(e.begin, e.end));
  } catch (err) {
    tf.dispose(Object.values(tensors));
    throw err;
  }
  return { tensors, metadata };
}

function decode(name: string, e: SafetensorsEntry, raw: Uint8Array): tf.Tensor {
  // copy into a fresh buffer of exactly this tensor's bytes: the slice may be unaligned for a typed-array view,
  // and Uint8Array.prototype.slice copies even when `raw` is a Buffer (whose own slice is a view)
  const bytes = Uint8Array.prototype.slice.call(raw);
  const count = e.shape.reduce((a, b) => a * b, 1);
  const dv = new DataView(bytes.buffer);
  switch (e.dtype) {
    case 'F32':
      return tf.tensor(new Float32Array(bytes.buffer), e.shape, 'float32');
    case 'F64':
      return tf.tensor(Float32Array.from(new Float64Array(bytes.buffer)), e.shape, 'float32');
    case 'F16':
    case 'BF16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = e.dtype === 'F16' ? half(dv.getUint16(2 * i, true)) : bf16(dv.getUint16(2 * i, true));
      return tf.tensor(out, e.shape, 'float32');
    }
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = dv.getBigInt64(8 * i, true);
        if (v > 2147483647n || v < -2147483648n)
          throw new SafetensorsError(`tensor "${name}" holds int64 value ${v} at index ${i}, outside int32 range (tfjs has no int64)`);
        out[i] = Number(v);
      }
      return tf.tensor(out, e.shape, 'int32');
    }
    case 'I32':
      return tf.tensor(new Int32Array(bytes.buffer), e.shape, 'int32');
    case 'I16':
      return tf.tensor(Int32Array.from(new Int16Array(bytes.buffer)), e.shape, 'int32');
    case 'I8':
      return tf.tensor(Int32Array.from(new Int8Array(bytes.buffer)), e.shape, 'int32');
    case 'U8':
      return tf.tensor(Int32Array.from(bytes), e.shape, 'int32');
    case 'BOOL':
      return tf.tensor(
        Uint8Array.from(bytes, (b) => (b ? 1 : 0)),
        e.shape,
        'bool',
      );
    default:
      throw new SafetensorsError(`tensor "${name}" has unsupported dtype ${e.dtype}`);
  }
}

function half(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function bf16(h: number): number {
  const f = new Float32Array(new Uint32Array([h << 16]).buffer);
  return f[0] ?? NaN;
}
