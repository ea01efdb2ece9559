import { pairedDigits, syntheticDigits } from '@logitlab/datasets';
import { describe, expect, it } from 'vitest';
import { firstRuleFinding } from './deep-taylor-report';
import { scoreMaps, targetStrokes } from './sumpool-scores';

const PX = 28 * 56;

describe('targetStrokes and scoreMaps', () => {
  const set = pairedDigits(syntheticDigits({ count: 60, seed: 1 }), { count: 8, seed: 2 });
  const positives = Array.from({ length: set.count }, (_, i) => i).filter((i) => set.positive[i] === 1);
  const strokes = targetStrokes(set, positives);
  const x = new Float32Array(positives.length * PX);
  positives.forEach((i, k) => x.set(set.images.subarray(i * PX, (i + 1) * PX), k * PX));
  // f: the brightness on the 0-3 digit's strokes, so perturbing them lowers f and nothing else does
  const f = (batch: Float32Array, n: number) =>
    Float32Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < PX; j++) s += strokes[(i % positives.length) * PX + j]! * (batch[i * PX + j]! + 0.5);
      return s;
    });

  it("marks only the 0-3 digit's stroke pixels of each positive pair", () => {
    expect(positives.length).toBeGreaterThan(0);
    positives.forEach((i, k) => {
      let onStroke = 0;
      for (let j = 0; j < PX; j++) {
        const m = set.masks[i * PX + j]!;
        expect(strokes[k * PX + j]).toBe(m >= 1 && m <= 4 ? 1 : 0);
        onStroke += strokes[k * PX + j]!;
      }
      expect(onStroke).toBeGreaterThan(0);
    });
  });

  it('scores the strokes themselves as a perfect map, and the background as a useless one', async () => {
    const o = { count: positives.length, range: [-0.5, 1.5] as const, seed: 1 };
    const onStrokes = await scoreMaps(f, x, strokes, strokes, o);
    expect(onStrokes.strokeMass).toBe(1);
    expect(onStrokes.pointing).toBe(1);
    const background = strokes.map((v) => 1 - v);
    const off = await scoreMaps(f, x, background, strokes, o);
    expect(off.strokeMass).toBe(0);
    expect(off.pointing).toBe(0);
    expect(onStrokes.aopc).toBeGreaterThan(off.aopc);
    expect(onStrokes.curve.length).toBe(101);
  });
});

const s = (aopc: number, strokeMass: number) => ({ aopc, strokeMass, pointing: 0.5, sparseness: 0.7 });

describe('firstRuleFinding', () => {
  it('names the rule with the most stroke mass and what it costs in AOPC, from the numbers', () => {
    const text = firstRuleFinding({ zB: s(0.95, 0.1), wSquare: s(0.85, 0.12), zPlus: s(0.9, 0.25) }, [-0.5, 1.5]);
    expect(text).toContain('z+ puts 2.5x as much on the strokes as zB');
    expect(text).toContain('scores 0.05 lower on AOPC');
    expect(text).toContain('below zero');
  });
  it('says so when zB leads', () => {
    const text = firstRuleFinding({ zB: s(0.95, 0.5), wSquare: s(0.85, 0.12), zPlus: s(0.9, 0.25) }, [0, 1]);
    expect(text).toContain('zB leads on the strokes here as well');
    expect(text).toContain('no relevance at all');
  });
});
