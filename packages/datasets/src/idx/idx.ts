import { IdxFormatError } from '../errors';
import { gunzipBounded, gzip, isGzip } from './gzip';

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: IdxData;
}

export interface ParseIdxOptions {
  /** true: the bytes must be gzip (e.g. the file name ends in .gz); false: raw IDX; 'auto' (default): sniff. */
  gzip?: boolean | 'auto';
  /** Name used in error messages (a file name or URL). */
  name?: string;
  /**
   * Most bytes gzip input may decompress to (default DEFAULT_MAX_IDX_BYTES, 128 MiB). A header that
   * declares more, or a stream that inflates past it, is an IdxFormatError 'too-large' before the
   * memory is spent. loadMnist passes each catalog file's exact size.
   */
  maxBytes?: number;
}

/** Default cap on decompressed IDX data: 2.7x MNIST's largest file (47 MB), small enough to keep a bomb's cost bounded. */
export const DEFAULT_MAX_IDX_BYTES = 128 * 1024 * 1024;

const DTYPES: Record<number, { dtype: IdxDtype; size: number }> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};
const CODES: Record<IdxDtype, number> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

interface Header {
  dtype: IdxDtype;
  elementSize: number;
  shape: number[];
  headerBytes: number;
  /** header + data bytes; a float so absurd declared dimensions cannot overflow into something small */
  totalBytes: number;
}

/** Reads the header; returns undefined while `bytes` is too short to hold it. */
function readHeader(bytes: Uint8Array, what: string): Header | undefined {
  if (bytes.length < 4) return undefined;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new IdxFormatError('bad-magic', `${what}: not an IDX file: magic bytes are ${hex}, expected 00 00 <dtype> <rank>`);
  }
  const code = bytes[2] as number;
  const info = DTYPES[code];
  if (!info)
    throw new IdxFormatError('unknown-dtype', `${what}: unknown IDX dtype code 0x${code.toString(16)}, expected one of 08 09 0b 0c 0d 0e`);
  const rank = bytes[3] as number;
  if (rank === 0) throw new IdxFormatError('bad-rank', `${what}: IDX rank is 0, expected at least 1 dimension`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape: number[] = [];
  let elements = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    elements *= d;
  }
  return { dtype: info.dtype, elementSize: info.size, shape, headerBytes, totalBytes: headerBytes + elements * info.size };
}

function decodeRaw(bytes: Uint8Array, what: string): IdxArray {
  const header = readHeader(bytes, what);
  if (!header) throw new IdxFormatError('truncated', `${what}: ${bytes.length} bytes is shorter than an IDX header`);
  const { dtype, shape, headerBytes, totalBytes, elementSize } = header;
  // compare declared and actual sizes before allocating anything
  if (totalBytes > bytes.length) {
    throw new IdxFormatError(
      'truncated',
      `${what}: header declares shape [${shape.join(', ')}] (${totalBytes} bytes) but only ${bytes.length} bytes are present`,
    );
  }
  if (totalBytes < bytes.length) {
    throw new IdxFormatError(
      'trailing-bytes',
      `${what}: ${bytes.length - totalBytes} bytes after the ${totalBytes} that shape [${shape.join(', ')}] declares`,
    );
  }
  const n = (totalBytes - headerBytes) / elementSize;
  if (dtype === 'uint8') return { dtype, shape, data: bytes.slice(headerBytes) };
  if (dtype === 'int8') return { dtype, shape, data: new Int8Array(bytes.slice(headerBytes).buffer) }; // slice copies: bytes is a plain Uint8Array
  const view = new DataView(bytes.buffer, bytes.byteOffset + headerBytes, n * elementSize);
  // IDX is big-endian; DataView reads it portably on any host
  switch (dtype) {
    case 'int16': {
      const data = new Int16Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt16(2 * i, false);
      return { dtype, shape, data };
    }
    case 'int32': {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt32(4 * i, false);
      return { dtype, shape, data };
    }
    case 'float32': {
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, false);
      return { dtype, shape, data };
    }
    default: {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(8 * i, false);
      return { dtype, shape, data };
    }
  }
}

/**
 * A plain Uint8Array over exactly the caller's bytes. A Node Buffer is a Uint8Array whose `slice` is a
 * view and whose `.buffer` is often a shared pool, so everything below works on this re-wrapped view.
 */
function toBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
}

/**
 * Parses an IDX file (raw or gzip; Node Buffer, Uint8Array or ArrayBuffer). Every defect is an
 * IdxFormatError with a `reason`; declared sizes are checked against the real byte length before
 * anything is allocated, so corrupt headers cannot trigger huge allocations.
 */
export function parseIdx(input: Uint8Array | ArrayBuffer, options: ParseIdxOptions = {}): IdxArray {
  const { gzip: gz = 'auto', name = 'IDX data', maxBytes = DEFAULT_MAX_IDX_BYTES } = options;
  const bytes = toBytes(input);
  const compressed = isGzip(bytes);
  if (gz === true && !compressed) {
    throw new IdxFormatError('not-gzip', `${name}: expected gzip data (magic 1f 8b) but the first bytes are not gzip`);
  }
  if (!compressed || gz === false) return decodeRaw(bytes, name);
  const raw = gunzipBounded(
    bytes,
    (head) => {
      const header = readHeader(head, name);
      return header ? header.totalBytes : undefined;
    },
    name,
    maxBytes,
  );
  return decodeRaw(raw, name);
}

/** Decompresses when the bytes are gzip (bounded like parseIdx), else returns them unchanged. A string is the name. */
export function idxBytes(input: Uint8Array | ArrayBuffer, options: string | Pick<ParseIdxOptions, 'name' | 'maxBytes'> = {}): Uint8Array {
  const { name = 'IDX data', maxBytes = DEFAULT_MAX_IDX_BYTES } = typeof options === 'string' ? { name: options } : options;
  const bytes = toBytes(input);
  if (!isGzip(bytes)) return bytes;
  return gunzipBounded(bytes, (head) => readHeader(head, name)?.totalBytes, name, maxBytes);
}

function dtypeOf(data: IdxData): IdxDtype {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

export interface WriteIdxOptions {
  /** gzip the result (deterministic: mtime 0). Default false. */
  gzip?: boolean;
}

/** Encodes a typed array with its shape as IDX (big-endian), optionally gzip-compressed. */
export function writeIdx(array: { data: IdxData; shape: number[] }, options: WriteIdxOptions = {}): Uint8Array {
  const { data, shape } = array;
  if (shape.length === 0 || shape.length > 255) {
    throw new IdxFormatError('bad-rank', `writeIdx: rank must be 1..255, got ${shape.length}`);
  }
  const elements = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0 || d > 0xffffffff) || elements !== data.length) {
    throw new IdxFormatError('count-mismatch', `writeIdx: shape [${shape.join(', ')}] does not match ${data.length} values`);
  }
  const dtype = dtypeOf(data);
  const size = data.BYTES_PER_ELEMENT;
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + elements * size);
  const view = new DataView(out.buffer);
  out[2] = CODES[dtype];
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  if (size === 1) out.set(new Uint8Array(data.buffer, data.byteOffset, data.length), headerBytes);
  else {
    for (let i = 0; i < elements; i++) {
      const v = data[i] as number;
      const at = headerBytes + i * size;
      if (dtype === 'int16') view.setInt16(at, v, false);
      else if (dtype === 'int32') view.setInt32(at, v, false);
      else if (dtype === 'float32') view.setFloat32(at, v, false);
      else view.setFloat64(at, v, false);
    }
  }
  return options.gzip ? gzip(out) : out;
}
