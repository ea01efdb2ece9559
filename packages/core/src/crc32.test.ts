import { describe, expect, it } from 'vitest';
import { crc32, crc32Update } from './crc32';

describe('crc32', () => {
  it('matches the IEEE check value and zlib on known inputs', () => {
    // the standard check value of CRC-32/ISO-HDLC for "123456789"
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('streams: updating over pieces equals one pass', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff);
    const streamed = crc32Update(crc32Update(0, bytes.subarray(0, 377)), bytes.subarray(377));
    expect(streamed).toBe(crc32(bytes));
  });
});
