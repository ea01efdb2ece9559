import { describe, expect, it } from 'vitest';
import { mixSeed, Rng } from './index';

describe('Rng', () => {
  // Values of the mulberry32 generator that layers' global RNG and metrics used before they moved here:
  // seeded runs keep their initial weights, dropout masks and perturbation orders.
  it('draws the mulberry32 stream', () => {
    const rng = new Rng(42);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([2581720956, 1925393290, 3661312704]);
  });

  it('shuffles with the Fisher-Yates order used before', () => {
    expect(Array.from(new Rng(7).permutation(8))).toEqual([4, 6, 1, 2, 3, 5, 7, 0]);
  });

  it('resumes the same stream from its state', () => {
    const a = new Rng(3);
    a.next();
    const b = new Rng(a.state);
    expect([b.next(), b.next()]).toEqual([a.next(), a.next()]);
  });

  it('fills arrays with the numbers (and leaves the state) of as many next() calls', () => {
    for (const seed of [0, 42, 0x7fff_ffff, 0xffff_fff0]) {
      const one = new Rng(seed);
      const bulk = new Rng(seed);
      const want = Float64Array.from({ length: 300 }, () => -2 + 5 * one.next());
      const got = new Float64Array(300);
      bulk.fillUniform(got, -2, 3);
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(bulk.state).toBe(one.state);
      const f32 = new Float32Array(5);
      bulk.fillUniform(f32);
      expect(Array.from(f32)).toEqual(Array.from({ length: 5 }, () => Math.fround(one.next())));
    }
  });

  it('fills arrays with normalPair() values in order, odd lengths dropping the last second value', () => {
    const one = new Rng(9);
    const bulk = new Rng(9);
    const want: number[] = [];
    for (let i = 0; i < 7; i += 2) want.push(...one.normalPair().map((v) => 0.5 + 2 * v));
    const got = new Float64Array(7);
    bulk.fillNormal(got, 0.5, 2);
    expect(Array.from(got)).toEqual(want.slice(0, 7));
    expect(bulk.state).toBe(one.state);
  });

  it('keeps its samples in range', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = rng.int(5);
      expect(Number.isInteger(k) && k >= 0 && k < 5).toBe(true);
      const v = rng.uniform(-2, 3);
      expect(v >= -2 && v < 3).toBe(true);
    }
  });

  it('draws standard normal samples', () => {
    const rng = new Rng(11);
    const xs = Array.from({ length: 20000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('rejects a non-finite seed, naming it', () => {
    expect(() => new Rng(Number.NaN)).toThrow(/finite seed, got NaN/);
  });
});

describe('mixSeed', () => {
  it('separates nearby seeds and parts', () => {
    const seeds = new Set([mixSeed(0, 1), mixSeed(1, 0), mixSeed(0, 0), mixSeed(1, 1), mixSeed(0)]);
    expect(seeds.size).toBe(5);
    expect(mixSeed(5, 2)).toBe(mixSeed(5, 2));
  });
});
