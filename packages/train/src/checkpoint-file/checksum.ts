import { crc32, crc32Update } from '@logitlab/core';
import { CheckpointError } from '../errors';
import type { CheckpointHeader } from './header';

/**
 * Version 3 checksums the whole file: the length prefix, the header with every metadata field (epoch,
 * step, RNG state...) and the tensor data. The CRC is stored inside the header it covers, so it is
 * computed with its own 8 hex digits read as '0's: the writer serialises `crc32:00000000`, hashes,
 * then writes the digits in place (same length, so nothing moves and the file stays plain safetensors).
 * Versions 1 and 2 hashed the tensor data only (their header could change unnoticed).
 */
export const CHECKSUM_PLACEHOLDER = 'crc32:00000000';

const KEY = new TextEncoder().encode('"checksum":"crc32:');
const DIGITS = 8;
const ZEROS = new TextEncoder().encode('0'.repeat(DIGITS));

function hex(crc: number): string {
  return crc.toString(16).padStart(DIGITS, '0');
}

/** Start of the checksum's hex digits: the one `"checksum":"crc32:` in the header, else undefined. */
function digitsAt(bytes: Uint8Array, headerEnd: number): number | undefined {
  let found: number | undefined;
  const first = KEY[0] as number;
  for (let i = 8; i + KEY.length + DIGITS <= headerEnd; i++) {
    if (bytes[i] !== first) continue;
    let k = 1;
    while (k < KEY.length && bytes[i + k] === KEY[k]) k++;
    if (k < KEY.length) continue;
    if (found !== undefined) return undefined; // two: not a file we wrote
    found = i + KEY.length;
  }
  return found;
}

function wholeFileCrc(bytes: Uint8Array, at: number): number {
  let crc = crc32Update(0, bytes.subarray(0, at));
  crc = crc32Update(crc, ZEROS);
  return crc32Update(crc, bytes.subarray(at + DIGITS));
}

/** Writes the whole-file CRC over the placeholder, in place. */
export function sealChecksum(bytes: Uint8Array, header: CheckpointHeader): void {
  const at = digitsAt(bytes, header.dataStart);
  if (at === undefined) throw new CheckpointError('internal: the checkpoint header has no single checksum placeholder');
  bytes.set(new TextEncoder().encode(hex(wholeFileCrc(bytes, at))), at);
}

/** Verifies a checkpoint's checksum as its version defines it; any mismatch is a CheckpointError. */
export function verifyChecksum(bytes: Uint8Array, header: CheckpointHeader, version: string): void {
  const stored = header.metadata['checksum'];
  if (version === '1' && stored === undefined) return; // version 1 files may predate checksums
  if (stored === undefined || !/^crc32:[0-9a-f]{8}$/.test(stored))
    throw new CheckpointError(
      `checkpoint checksum is ${stored === undefined ? '(missing)' : JSON.stringify(stored)}; expected crc32:<8 hex digits>; the file is corrupt`,
    );
  let actual: string;
  if (version === '1' || version === '2') actual = `crc32:${hex(crc32(bytes.subarray(header.dataStart)))}`;
  else {
    const at = digitsAt(bytes, header.dataStart);
    if (at === undefined) throw new CheckpointError('checkpoint header does not hold exactly one checksum field; the file is corrupt');
    actual = `crc32:${hex(wholeFileCrc(bytes, at))}`;
  }
  if (stored !== actual)
    throw new CheckpointError(`checkpoint checksum is ${stored} but the file hashes to ${actual}; the file is corrupt`);
}
