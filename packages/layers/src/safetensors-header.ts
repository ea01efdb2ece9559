import { SafetensorsError } from './errors';

/**
 * A safetensors header, read without building any tensor: what loadSafetensors decodes from, and what
 * a caller that checks a file from its raw bytes first (train's checkpoints: checksum, structure,
 * finiteness) reads, so a hostile file is refused for the cost of parsing its JSON.
 */
export interface SafetensorsEntry {
  /** The file's dtype name (F32, I64, BOOL, ...), one this package decodes. */
  dtype: string;
  shape: number[];
  /** Byte range within the data section (data_offsets); not yet checked against its length. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** __metadata__, with a null prototype: any key (even "__proto__") is an ordinary one. */
  metadata: Record<string, string>;
  /** Tensor entries by name, in the header's order. */
  entries: Map<string, SafetensorsEntry>;
  /** Where the header JSON ends and the tensor data begins (8 + header length). */
  dataStart: number;
}

/** Bytes per element of each dtype the format names and this package decodes. */
export const DTYPE_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

const MAX_HEADER = 100_000_000; // the reference implementation's limit

/** Parses the 8-byte length and the JSON header; any defect is a SafetensorsError naming it. */
export function readSafetensorsHeader(buf: Uint8Array): SafetensorsHeader {
  if (buf.length < 8) throw new SafetensorsError(`truncated safetensors: ${buf.length} bytes, expected at least 8 for the header length`);
  const n = new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) throw new SafetensorsError(`safetensors header length ${n} exceeds the ${MAX_HEADER}-byte limit`);
  const headerLen = Number(n);
  if (8 + headerLen > buf.length)
    throw new SafetensorsError(`truncated safetensors: header claims ${headerLen} bytes but only ${buf.length - 8} follow`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new SafetensorsError(`safetensors header is not valid UTF-8 JSON: ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new SafetensorsError('safetensors header must be a JSON object');
  const metadata = Object.create(null) as Record<string, string>;
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw new SafetensorsError('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') throw new SafetensorsError(`__metadata__["${k}"] must be a string, got ${typeof v}`);
        metadata[k] = v;
      }
      continue;
    }
    entries.set(name, entry(name, raw));
  }
  return { metadata, entries, dataStart: 8 + headerLen };
}

function entry(name: string, raw: unknown): SafetensorsEntry {
  const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  if (typeof e !== 'object' || e === null) throw new SafetensorsError(`header entry "${name}" must be an object`);
  const { dtype, shape, data_offsets: o } = e;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype))
    throw new SafetensorsError(
      `tensor "${name}" has unsupported dtype ${JSON.stringify(dtype)}; expected one of ${Object.keys(DTYPE_BYTES).join(', ')}`,
    );
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new SafetensorsError(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(o) || o.length !== 2 || !o.every((d) => Number.isSafeInteger(d) && d >= 0) || o[0] > o[1])
    throw new SafetensorsError(
      `tensor "${name}" has invalid data_offsets ${JSON.stringify(o)}; expected [begin, end] with 0 <= begin <= end`,
    );
  return { dtype, shape: shape as number[], begin: o[0] as number, end: o[1] as number };
}
