import { describe, expect, it } from 'vitest';
import { decodePixels, encodePixels } from './pixels-codec';

describe('pixels codec', () => {
  it('round-trips a drawing within one quantisation step and compresses blank runs', () => {
    const px = new Float32Array(784);
    for (let i = 300; i < 340; i++) px[i] = (i % 7) / 6;
    px[783] = 1;
    const text = encodePixels(px);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(text.length).toBeLessThan(200);
    const back = decodePixels(text, 784);
    expect(back).not.toBeNull();
    for (let i = 0; i < 784; i++) expect(Math.abs((back?.[i] ?? NaN) - (px[i] ?? 0))).toBeLessThanOrEqual(0.5 / 254 + 1e-7);
  });

  it('rejects text of the wrong length or that is not base64', () => {
    expect(decodePixels(encodePixels(new Float32Array(784)), 1568)).toBeNull();
    expect(decodePixels('!!!', 784)).toBeNull();
  });

  it('encodes a long blank run (over 255 pixels) and clamps out-of-range values', () => {
    const px = new Float32Array(1568);
    px[1000] = 2;
    const back = decodePixels(encodePixels(px), 1568);
    expect(back?.[1000]).toBe(1);
    expect(back?.reduce((a, b) => a + b, 0)).toBe(1);
  });
});
