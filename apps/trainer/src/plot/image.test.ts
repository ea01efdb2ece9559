import { describe, expect, it } from 'vitest';
import { divergingColor } from '@logitlab/metrics';
import { composeGrid, decodePng, greyImage, heatImage, imageGridPng, scaleImage } from './image';

describe('PNG image writers', () => {
  it('maps grey values through the given range and clamps', () => {
    const img = greyImage([-0.5, 0.5, 1.5, 9], 2, 2, { range: [-0.5, 1.5] });
    expect(Array.from(img.data.filter((_, i) => i % 3 === 0))).toEqual([0, 128, 255, 255]);
  });

  it('colours relevance red (positive), blue (negative), white (zero), scaled per image', () => {
    const img = heatImage([2, -1, 0, 1], 2, 2);
    const px = (i: number) => Array.from(img.data.subarray(i * 3, i * 3 + 3));
    expect(px(0)).toEqual([...divergingColor(1)]);
    expect(px(1)).toEqual([...divergingColor(-0.5)]);
    expect(px(2)).toEqual([255, 255, 255]);
    expect(px(3)).toEqual([...divergingColor(0.5)]);
    const [r, g, b] = px(0) as [number, number, number];
    expect(r).toBeGreaterThan(g);
    expect(r).toBeGreaterThan(b);
    const [r1, , b1] = px(1) as [number, number, number];
    expect(b1).toBeGreaterThan(r1);
  });

  it('upscales and lays out tiles with padding', () => {
    const tile = scaleImage(greyImage([1], 1, 1), 3);
    expect([tile.width, tile.height]).toEqual([3, 3]);
    const grid = composeGrid([[tile, tile], [tile]], { pad: 1, background: [0, 0, 255] });
    expect([grid.width, grid.height]).toEqual([1 + 3 + 1 + 3 + 1, 1 + 3 + 1 + 3 + 1]);
    expect(Array.from(grid.data.subarray(0, 3))).toEqual([0, 0, 255]); // padding corner
    const at = (x: number, y: number) => Array.from(grid.data.subarray((y * grid.width + x) * 3, (y * grid.width + x) * 3 + 3));
    expect(at(1, 1)).toEqual([255, 255, 255]);
    expect(at(5, 5)).toEqual([0, 0, 255]); // ragged second row leaves background
  });

  it('writes a PNG that decodes to the same pixels', () => {
    const values = Float32Array.from({ length: 3 * 28 * 28 }, (_, i) => (i % 28) / 27);
    const png = imageGridPng(values, { count: 3, height: 28, width: 28, cols: 2, scale: 1 });
    expect(
      Array.from(png.subarray(1, 4))
        .map((c) => String.fromCharCode(c))
        .join(''),
    ).toBe('PNG');
    const { width, height, rgba } = decodePng(png);
    expect([width, height]).toEqual([2 + 28 + 2 + 28 + 2, 2 + 28 + 2 + 28 + 2]);
    expect(rgba[(2 * width + 2 + 27) * 4]).toBe(255); // last column of the first digit is white
    expect(rgba[(2 * width + 2) * 4]).toBe(0);
  });

  it('rejects images that run past the data', () => {
    expect(() => greyImage([1, 2, 3], 2, 2)).toThrow(RangeError);
  });
});
