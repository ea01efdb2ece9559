import { describe, expect, it } from 'vitest';
import { imageInput, perPixel, rgbaToInput, topClasses } from './model-input';

describe('imageInput', () => {
  it('takes NHWC images with 1 or 3 channels', () => {
    expect(imageInput([28, 28, 1])).toEqual({ height: 28, width: 28, channels: 1 });
    expect(imageInput([32, 24, 3])).toEqual({ height: 32, width: 24, channels: 3 });
  });
  it('says why it cannot feed other inputs, naming the shape', () => {
    expect(imageInput([784])).toBe("the model's input is [N, 784]; this tab feeds images [N, H, W, 1 or 3]");
    expect(imageInput([28, 28, 2])).toMatch(/\[N, 28, 28, 2\]/);
    expect(imageInput([0, 28, 1])).toMatch(/\[N, 0, 28, 1\]/);
  });
});

describe('rgbaToInput', () => {
  const rgba = [255, 0, 0, 255, 51, 102, 153, 255];
  it('keeps the colours for an RGB model, in [0, 1]', () => {
    expect(Array.from(rgbaToInput(rgba, { height: 1, width: 2, channels: 3 }))).toEqual(
      [1, 0, 0, 0.2, 0.4, 0.6].map((v) => Math.fround(v)),
    );
  });
  it("takes the colours' mean for a grey model", () => {
    const out = rgbaToInput(rgba, { height: 1, width: 2, channels: 1 });
    expect(out[0]).toBeCloseTo(1 / 3, 6);
    expect(out[1]).toBeCloseTo(0.4, 6);
  });
  it('refuses bytes of another size, naming both', () => {
    expect(() => rgbaToInput(rgba, { height: 2, width: 2, channels: 1 })).toThrow('expected 16 RGBA bytes for 2 x 2, got 8');
  });
});

describe('perPixel', () => {
  it("adds relevance over a pixel's channels (the sum is kept) and averages an image", () => {
    const v = [1, 2, 3, -1, 0, 4];
    expect(Array.from(perPixel(v, 3, 'sum'))).toEqual([6, 3]);
    expect(Array.from(perPixel(v, 3, 'mean'))).toEqual([2, 1]);
    expect(Array.from(perPixel(v, 1, 'sum'))).toEqual(v);
  });
});

describe('topClasses', () => {
  it('lists the k largest, largest first, ties by class', () => {
    expect(topClasses([0.1, 3, -2, 3, 1], 3)).toEqual([
      [1, 3],
      [3, 3],
      [4, 1],
    ]);
    expect(topClasses([5], 10)).toEqual([[0, 5]]);
  });
});
