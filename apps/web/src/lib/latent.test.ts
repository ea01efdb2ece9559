import { describe, expect, it } from 'vitest';
import { boundsOf, lift, principalPlane, project, toLatent, toPixel } from './latent';

describe('latent map coordinates', () => {
  const b = { minX: -2, maxX: 2, minY: -1, maxY: 3 };

  it('puts the top-left corner at (minX, maxY) and the bottom-right at (maxX, minY)', () => {
    expect(toLatent(b, 200, 100, 0, 0)).toEqual({ x: -2, y: 3 });
    expect(toLatent(b, 200, 100, 200, 100)).toEqual({ x: 2, y: -1 });
    expect(toPixel(b, 200, 100, 0, 1)).toEqual({ px: 100, py: 50 });
  });

  it('toLatent inverts toPixel', () => {
    for (const [x, y] of [
      [0.3, -0.7],
      [1.9, 2.5],
      [-2, -1],
    ] as const) {
      const { px, py } = toPixel(b, 317, 211, x, y);
      const back = toLatent(b, 317, 211, px, py);
      expect(back.x).toBeCloseTo(x, 10);
      expect(back.y).toBeCloseTo(y, 10);
    }
  });

  it('pads the bounds so no point sits on the edge, and survives degenerate input', () => {
    const bounds = boundsOf(Float32Array.from([0, 0, 10, 5]), 0.1);
    expect(bounds).toEqual({ minX: -1, maxX: 11, minY: -0.5, maxY: 5.5 });
    const same = boundsOf(Float32Array.from([1, 1, 1, 1]));
    expect(same.maxX).toBeGreaterThan(same.minX);
    expect(boundsOf(new Float32Array())).toEqual({ minX: -1, maxX: 1, minY: -1, maxY: 1 });
  });
});

describe('principal plane', () => {
  it('finds the two directions of largest variance and lifts plane points back', () => {
    // 3-D points with most variance along e1, then e3, almost none along e2; mean (1, 2, 3)
    const pts: number[] = [];
    for (let i = 0; i < 50; i++) {
      const a = Math.sin(i) * 5;
      const c = Math.cos(i * 1.3) * 2;
      pts.push(1 + a, 2 + 0.01 * Math.sin(i * 7), 3 + c);
    }
    const plane = principalPlane(Float32Array.from(pts), 3);
    for (let d = 0; d < 3; d++) {
      const mean = pts.filter((_, i) => i % 3 === d).reduce((a, v) => a + v, 0) / 50;
      expect(plane.mean[d]).toBeCloseTo(mean, 4);
    }
    expect(Math.abs(plane.axis1[0] ?? 0)).toBeCloseTo(1, 2);
    expect(Math.abs(plane.axis2[2] ?? 0)).toBeCloseTo(1, 2);
    // orthonormal axes
    const dot = plane.axis1.reduce((s, v, i) => s + v * (plane.axis2[i] ?? 0), 0);
    expect(dot).toBeCloseTo(0, 3);
    // a point on the plane projects to its coordinates and lifts back to itself
    const z = lift(plane, 1.5, -0.5);
    const uv = project(plane, z);
    expect(uv[0]).toBeCloseTo(1.5, 4);
    expect(uv[1]).toBeCloseTo(-0.5, 4);
  });
});
