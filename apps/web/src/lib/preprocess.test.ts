import { describe, expect, it } from 'vitest';
import { boundingBox, centerOfMass, composePair, downsampleRgba, normalizeLikeMnist, toRange, type Gray } from './preprocess';

function rgbaFrom(gray: number[], width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  gray.forEach((v, i) => out.set([v, v, v, 255], i * 4));
  return out;
}

function blank(width: number, height: number): Gray {
  return { data: new Float32Array(width * height), width, height };
}

describe('downsampleRgba', () => {
  it('box-averages brightness per block', () => {
    // 4x2 image, factor 2: left block half white, right block all white.
    const img = rgbaFrom([255, 0, 255, 255, 0, 255, 255, 255], 4, 2);
    const out = downsampleRgba(img, 4, 2, 2);
    expect(out.width).toBe(2);
    expect(out.height).toBe(1);
    expect(out.data[0]).toBeCloseTo(0.5, 6);
    expect(out.data[1]).toBeCloseTo(1, 6);
  });

  it('treats transparent pixels as black', () => {
    const img = new Uint8ClampedArray([255, 255, 255, 0]);
    expect(downsampleRgba(img, 1, 1, 1).data[0]).toBe(0);
  });

  it('rejects sizes the factor does not divide, naming them', () => {
    expect(() => downsampleRgba(new Uint8ClampedArray(3 * 2 * 4), 3, 2, 2)).toThrow(/3x2.*factor 2/);
    expect(() => downsampleRgba(new Uint8ClampedArray(4), 2, 2, 1)).toThrow(/4 bytes, expected 16/);
  });
});

describe('normalizeLikeMnist', () => {
  it('returns a blank image for a blank pad', () => {
    const out = normalizeLikeMnist(blank(28, 28));
    expect(out.data.every((v) => v === 0)).toBe(true);
  });

  it('moves a stroke drawn in a corner to the centre and scales it to the 20-pixel box', () => {
    const img = blank(28, 28);
    // a 4x8 bar in the top-left corner
    for (let y = 1; y < 9; y++) for (let x = 1; x < 5; x++) img.data[y * 28 + x] = 1;
    const out = normalizeLikeMnist(img);
    const com = centerOfMass(out);
    expect(com.x).toBeCloseTo(13.5, 0);
    expect(com.y).toBeCloseTo(13.5, 0);
    const bb = boundingBox(out, 0.5);
    expect(bb).not.toBeNull();
    // height 8 -> 20 pixels (aspect kept: width 4 -> 10)
    expect(bb!.y1 - bb!.y0 + 1).toBeGreaterThanOrEqual(19);
    expect(bb!.y1 - bb!.y0 + 1).toBeLessThanOrEqual(21);
    expect(bb!.x1 - bb!.x0 + 1).toBeGreaterThanOrEqual(9);
    expect(bb!.x1 - bb!.x0 + 1).toBeLessThanOrEqual(11);
    expect(Math.max(...out.data)).toBeLessThanOrEqual(1);
  });
});

describe('toRange and composePair', () => {
  it('maps [0, 1] linearly onto the explainer coding', () => {
    expect(Array.from(toRange(Float32Array.from([0, 0.5, 1]), [-0.5, 1.5]))).toEqual([-0.5, 0.5, 1.5]);
  });

  it('puts the left digit in columns 0-27 and the right one in 28-55 of every row', () => {
    const left = new Float32Array(784).fill(0.25);
    const right = new Float32Array(784).fill(0.75);
    right[27 * 28 + 27] = 1;
    const pair = composePair(left, right);
    expect(pair.length).toBe(28 * 56);
    expect(pair[5 * 56 + 27]).toBe(0.25);
    expect(pair[5 * 56 + 28]).toBe(0.75);
    expect(pair[27 * 56 + 55]).toBe(1);
    expect(() => composePair(left, new Float32Array(10))).toThrow(/28x28/);
  });
});
