import { Gunzip, gzipSync } from 'fflate';
import { IdxFormatError } from '../errors';
import { crc32Update } from '@logitlab/core';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function gzip(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes, { level: 6, mtime: 0 });
}

/**
 * Streams a gzip member through fflate. `limitFor(head)` is asked, once enough output exists, how many
 * bytes the output may have at most (the IDX header declares it); output beyond that, or beyond
 * `maxBytes` (what the caller knows the file can be, a catalog size or a sane default), aborts at once.
 * Memory therefore grows only with data that really decompresses, never past `maxBytes` plus one
 * chunk, whatever a corrupt header or gzip trailer claims: a decompression bomb is refused while it streams.
 */
export function gunzipBounded(
  gz: Uint8Array,
  limitFor: (head: Uint8Array) => number | undefined,
  what: string,
  maxBytes: number,
): Uint8Array {
  if (gz.length < 18) throw new IdxFormatError('corrupt-gzip', `${what}: ${gz.length} bytes is too short for a gzip stream`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let limit: number | undefined;
  let crc = 0;
  const inflater = new Gunzip((chunk) => {
    chunks.push(chunk);
    total += chunk.length;
    crc = crc32Update(crc, chunk);
    if (limit === undefined) {
      limit = limitFor(concat(chunks, Math.min(total, 4 + 4 * 255)));
      if (limit !== undefined && limit > maxBytes) {
        throw new IdxFormatError(
          'too-large',
          `${what}: IDX header declares ${limit} bytes, more than the ${maxBytes} this file may decompress to`,
        );
      }
    }
    if (total > maxBytes)
      throw new IdxFormatError('too-large', `${what}: decompresses to more than the ${maxBytes} bytes this file may hold`);
    if (limit !== undefined && total > limit) {
      throw new IdxFormatError('trailing-bytes', `${what}: decompresses to more than the ${limit} bytes its IDX header declares`);
    }
  });
  try {
    // small input steps: one step of a bomb inflates ~1000x, so this bounds the overshoot past maxBytes to ~16 MB
    const step = 1 << 14;
    for (let off = 0; off < gz.length; off += step) inflater.push(gz.subarray(off, off + step), off + step >= gz.length);
  } catch (e) {
    if (e instanceof IdxFormatError) throw e;
    throw new IdxFormatError(
      'corrupt-gzip',
      `${what}: gzip stream is corrupt or truncated (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const view = new DataView(gz.buffer, gz.byteOffset, gz.byteLength);
  const storedCrc = view.getUint32(gz.length - 8, true);
  const storedSize = view.getUint32(gz.length - 4, true);
  if (storedSize !== total % 2 ** 32 || storedCrc !== crc) {
    throw new IdxFormatError(
      'corrupt-gzip',
      `${what}: gzip trailer does not match the data (size ${storedSize} vs ${total}, crc ${storedCrc.toString(16)} vs ${crc.toString(16)})`,
    );
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && (chunks[0] as Uint8Array).length === length) return chunks[0] as Uint8Array;
  const out = new Uint8Array(length);
  let off = 0;
  for (const c of chunks) {
    if (off >= length) break;
    const part = c.subarray(0, length - off);
    out.set(part, off);
    off += part.length;
  }
  return out;
}
