import { CheckpointError } from '../errors';

/**
 * A checkpoint's safetensors header, read without building any tensor: the checksum, the structure
 * and the weights' finiteness are all checked from it and the raw bytes first, so a damaged or hostile
 * file (one declaring 100,000 tensors) is refused for the cost of parsing its JSON, not of decoding it.
 * loadSafetensors (in @logitlab/layers) still checks the offsets tile the data before it decodes.
 */
export interface HeaderEntry {
  dtype: string;
  shape: number[];
  /** Byte range within the data section. */
  begin: number;
  end: number;
}

export interface CheckpointHeader {
  metadata: Record<string, string>;
  /** Tensor entries by name, in the header's order. */
  entries: Map<string, HeaderEntry>;
  /** Where the header JSON ends and the tensor data begins (8 + header length). */
  dataStart: number;
}

// the reference implementation's limit, as loadSafetensors applies it
const MAX_HEADER = 100_000_000;

export function readHeader(bytes: Uint8Array): CheckpointHeader {
  if (!(bytes instanceof Uint8Array))
    throw new CheckpointError(`checkpoint bytes must be a Uint8Array; got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length < 8) throw new CheckpointError(`not a readable checkpoint: ${bytes.length} bytes, expected at least 8`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.length - 8)))
    throw new CheckpointError(
      `not a readable checkpoint: its header claims ${n} bytes but ${bytes.length - 8} follow (truncated or corrupt)`,
    );
  const dataStart = 8 + Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    throw new CheckpointError(`not a readable checkpoint: its header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new CheckpointError('not a readable checkpoint: its header is not a JSON object');
  const metadata = Object.create(null) as Record<string, string>;
  const entries = new Map<string, HeaderEntry>();
  const dataLength = bytes.length - dataStart;
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw new CheckpointError('not a readable checkpoint: __metadata__ is not an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new CheckpointError(`checkpoint metadata ${k} is a ${typeof v}; expected a string`);
        metadata[k] = v;
      }
      continue;
    }
    entries.set(name, entry(name, raw, dataLength));
  }
  return { metadata, entries, dataStart };
}

function entry(name: string, raw: unknown, dataLength: number): HeaderEntry {
  const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  if (typeof e !== 'object' || e === null) throw new CheckpointError(`checkpoint tensor "${name}" has no header entry object`);
  const { dtype, shape, data_offsets: o } = e;
  if (typeof dtype !== 'string')
    throw new CheckpointError(`checkpoint tensor "${name}" has dtype ${JSON.stringify(dtype)}; expected a string`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new CheckpointError(`checkpoint tensor "${name}" has shape ${JSON.stringify(shape)}; expected non-negative integers`);
  if (!Array.isArray(o) || o.length !== 2 || !o.every((d) => Number.isSafeInteger(d) && d >= 0) || o[0] > o[1] || o[1] > dataLength)
    throw new CheckpointError(
      `checkpoint tensor "${name}" has data_offsets ${JSON.stringify(o)}; expected [begin, end] within the ${dataLength} data bytes`,
    );
  return { dtype, shape: shape as number[], begin: o[0] as number, end: o[1] as number };
}
