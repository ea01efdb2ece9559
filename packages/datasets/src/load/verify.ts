import { ChecksumError } from '../errors';
import { idxBytes } from '../idx/idx';
import type { FileChecksum } from './catalog';
import { sha256Hex } from './sha256';

/**
 * Throws ChecksumError unless the bytes (or their decompressed IDX payload) have an accepted SHA-256.
 * With no checksum known (null/undefined) the file is accepted unverified; parsing still validates it.
 */
export async function verifyChecksum(
  bytes: Uint8Array,
  spec: FileChecksum | null | undefined,
  where: string,
  maxBytes?: number,
): Promise<void> {
  if (!spec) return;
  const fileSums = spec.sha256 ?? [];
  const idxSums = spec.idxSha256 ?? [];
  if (fileSums.length === 0 && idxSums.length === 0) return;
  const actual = await sha256Hex(bytes);
  // an uncompressed copy's own digest is its IDX digest
  if (fileSums.includes(actual) || idxSums.includes(actual)) return;
  if (idxSums.length > 0) {
    let raw: Uint8Array | undefined;
    try {
      raw = idxBytes(bytes, { name: where, maxBytes });
    } catch {
      raw = undefined; // not decompressible: certainly not the expected data
    }
    if (raw && raw !== bytes && idxSums.includes(await sha256Hex(raw))) return;
  }
  const expected = [...fileSums, ...idxSums];
  throw new ChecksumError(
    `${where}: SHA-256 ${actual} matches none of the known digests (${expected.join(', ')}); the file is corrupt, truncated or not the expected file`,
    where,
    expected,
    actual,
  );
}
