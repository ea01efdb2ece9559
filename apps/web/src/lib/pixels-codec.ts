/**
 * Drawings in a URL: pixels in [0, 1] quantised to bytes, runs of blank pixels (most of a digit)
 * collapsed, base64url-encoded. A 28 x 28 digit takes ~300 characters instead of ~1,050.
 */
const BLANK_RUN = 0; // marker byte: next byte holds a run length (1-255) of zero pixels

export function encodePixels(pixels: ArrayLike<number>): string {
  const out: number[] = [];
  for (let i = 0; i < pixels.length;) {
    const q = Math.round(Math.max(0, Math.min(1, pixels[i] ?? 0)) * 254) + 1; // 1..255, 0 is the marker
    if (q === 1) {
      let run = 0;
      while (i < pixels.length && run < 255 && Math.round(Math.max(0, Math.min(1, pixels[i] ?? 0)) * 254) === 0) {
        run++;
        i++;
      }
      out.push(BLANK_RUN, run);
    } else {
      out.push(q);
      i++;
    }
  }
  let bin = '';
  for (const b of out) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Inverse of encodePixels; null when the text is not a drawing of exactly `length` pixels. */
export function decodePixels(text: string, length: number): Float32Array | null {
  let bin: string;
  try {
    bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const out = new Float32Array(length);
  let j = 0;
  for (let i = 0; i < bin.length; i++) {
    const b = bin.charCodeAt(i);
    if (b === BLANK_RUN) {
      j += bin.charCodeAt(++i);
    } else {
      if (j >= length) return null;
      out[j++] = (b - 1) / 254;
    }
  }
  return j === length ? out : null;
}
