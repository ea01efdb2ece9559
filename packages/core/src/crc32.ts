// CRC-32 (IEEE 802.3, as zlib, gzip and PNG). Written here because Node 20's zlib has no crc32 and every
// user (gzip trailers in datasets, checkpoint checksums in train) must also run in browsers.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Continues a running CRC-32 (start from 0) over more bytes, for streamed data. */
export function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of a whole buffer. */
export function crc32(bytes: Uint8Array): number {
  return crc32Update(0, bytes);
}
