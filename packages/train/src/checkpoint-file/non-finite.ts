import { NonFiniteCheckpointError } from '../errors';
import type { CheckpointHeader } from './header';

/**
 * The first NaN or +-Infinity in a checkpoint's floating-point tensors, read from the raw bytes (no
 * tensor built, no device read: the bytes are on the host already, written or about to be decoded).
 * A diverged run's weights must neither be written as a checkpoint nor resumed from one.
 */
export function findNonFinite(bytes: Uint8Array, header: CheckpointHeader): { name: string; index: number; value: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataStart, bytes.length - header.dataStart);
  for (const [name, e] of header.entries) {
    const read = READERS[e.dtype];
    if (!read) continue;
    const [width, get] = read;
    const count = Math.floor((e.end - e.begin) / width);
    for (let i = 0; i < count; i++) {
      const v = get(view, e.begin + i * width);
      if (!Number.isFinite(v)) return { name, index: i, value: v };
    }
  }
  return undefined;
}

type Reader = [width: number, get: (v: DataView, at: number) => number];

/** A 16-bit float only as far as finiteness goes: all-ones exponent is +-Infinity (no mantissa) or NaN. */
function half(bits: number, expMask: number, mantMask: number): number {
  if ((bits & expMask) !== expMask) return 0;
  if (bits & mantMask) return NaN;
  return bits & 0x8000 ? -Infinity : Infinity;
}

const READERS: Record<string, Reader> = {
  F32: [4, (v, at) => v.getFloat32(at, true)],
  F64: [8, (v, at) => v.getFloat64(at, true)],
  F16: [2, (v, at) => half(v.getUint16(at, true), 0x7c00, 0x03ff)],
  BF16: [2, (v, at) => half(v.getUint16(at, true), 0x7f80, 0x007f)],
};

/** Throws NonFiniteCheckpointError for the first non-finite value; `when` says whether writing or loading. */
export function assertFinite(bytes: Uint8Array, header: CheckpointHeader, when: 'write' | 'load'): void {
  const bad = findNonFinite(bytes, header);
  if (bad) throw new NonFiniteCheckpointError(bad.name, bad.index, bad.value, when);
}
