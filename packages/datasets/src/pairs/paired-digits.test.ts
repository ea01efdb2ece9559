import { describe, expect, it } from 'vitest';
import { DatasetInputError, pairedDigits, splitImageSet, syntheticDigits } from '../index';
import type { ImageSet } from '../index';

const source = syntheticDigits({ count: 400, seed: 21 });

describe('pairedDigits', () => {
  it('makes 28x56 pairs: positives = one target + one distractor, negatives = two distractors', () => {
    const set = pairedDigits(source, { count: 200, seed: 1 });
    expect(set).toMatchObject({ count: 200, height: 28, width: 56 });
    expect(set.images.length).toBe(200 * 28 * 56);
    let positives = 0;
    let targetOnLeft = 0;
    for (let i = 0; i < set.count; i++) {
      const [l, r] = [set.digits[2 * i] as number, set.digits[2 * i + 1] as number];
      const targetsIn = [l, r].filter((d) => d <= 3).length;
      if (set.positive[i]) {
        positives++;
        expect(targetsIn).toBe(1);
        expect(set.targets[i]).toBe(100);
        if (l <= 3) targetOnLeft++;
      } else {
        expect(targetsIn).toBe(0);
        expect(set.targets[i]).toBe(0);
      }
      const hot = Array.from(set.multiHot.subarray(i * 10, i * 10 + 10));
      expect(hot.reduce((a, b) => a + b, 0)).toBe(l === r ? 1 : 2);
      expect(hot[l]).toBe(1);
      expect(hot[r]).toBe(1);
    }
    expect(positives).toBe(100);
    // the target's side is random
    expect(targetOnLeft).toBeGreaterThan(30);
    expect(targetOnLeft).toBeLessThan(70);
  });

  it('codes pixels in range and masks each stroke with 1 + its digit', () => {
    const set = pairedDigits(source, { count: 50, seed: 2, range: [-0.5, 1.5] });
    let min = Infinity;
    let max = -Infinity;
    for (const v of set.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeCloseTo(-0.5, 5);
    expect(max).toBeLessThanOrEqual(1.5 + 1e-6);
    expect(max).toBeGreaterThan(1.2);
    for (let i = 0; i < set.count; i++) {
      for (let r = 0; r < 28; r++) {
        for (let c = 0; c < 56; c++) {
          const p = i * 28 * 56 + r * 56 + c;
          const m = set.masks[p] as number;
          const digit = set.digits[2 * i + (c < 28 ? 0 : 1)] as number;
          // stroke where the [0, 1] pixel is above 0.5, i.e. the coded value above 0.5
          expect(m).toBe((set.images[p] as number) > 0.5 ? 1 + digit : 0);
        }
      }
    }
  });

  it("'any-target' positives hold at least one target; targets and values are configurable; seeded", () => {
    const opts = { count: 100, seed: 3, positives: 'any-target', targetDigits: [7], targetValues: [1, -1] } as const;
    const set = pairedDigits(source, opts);
    for (let i = 0; i < set.count; i++) {
      const has7 = set.digits[2 * i] === 7 || set.digits[2 * i + 1] === 7;
      expect(has7).toBe(set.positive[i] === 1);
      expect(set.targets[i]).toBe(has7 ? 1 : -1);
    }
    expect(pairedDigits(source, opts).images).toEqual(set.images);
    expect(pairedDigits(source, { ...opts, seed: 4 }).images).not.toEqual(set.images);
  });

  it('rejects bad sources and options with typed errors', () => {
    const wide: ImageSet = { ...source, width: 14, height: 56 };
    expect(() => pairedDigits(wide, { count: 2 })).toThrow(/must be 28x28, got 56x14/);
    expect(() => pairedDigits(source, { count: 2, targetDigits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] })).toThrow(DatasetInputError);
    const onlyTargets = splitImageSet(source, 1, 0)[0];
    onlyTargets.labels.fill(1);
    expect(() => pairedDigits(onlyTargets, { count: 2 })).toThrow(/at least one target digit/);
  });
});

/** Source index tagged into pixel 0 of each image (see the split test). */
const ids = (s: ImageSet) => new Set(Array.from({ length: s.count }, (_, i) => Math.round((s.images[i * 784] as number) * 1000)));

const sourcesOf = (pairs: ReturnType<typeof pairedDigits>) => {
  const out = new Set<number>();
  for (let i = 0; i < pairs.count; i++) {
    for (const side of [0, 28]) out.add(Math.round((((pairs.images[i * 28 * 56 + side] as number) + 0.5) / 2) * 1000));
  }
  return out;
};

describe('splitImageSet', () => {
  it('splits into disjoint parts so train and test pairs never share a source digit', () => {
    // tag each source image with its index in pixel 0 so we can trace where pairs come from
    const tagged = syntheticDigits({ count: 300, seed: 5 });
    for (let i = 0; i < tagged.count; i++) tagged.images[i * 784] = (i + 1) / 1000;
    const [train, test] = splitImageSet(tagged, 0.7, 9);
    expect(train.count).toBe(210);
    expect(test.count).toBe(90);
    const trainIds = ids(train);
    const testIds = ids(test);
    expect(trainIds.size + testIds.size).toBe(300);
    for (const id of testIds) expect(trainIds.has(id)).toBe(false);
    // images keep their labels
    for (let i = 0; i < train.count; i++) {
      const id = Math.round((train.images[i * 784] as number) * 1000) - 1;
      expect(train.labels[i]).toBe(tagged.labels[id]);
    }
    const trainPairs = sourcesOf(pairedDigits(train, { count: 300, seed: 1 }));
    const testPairs = sourcesOf(pairedDigits(test, { count: 300, seed: 2 }));
    for (const id of testPairs) expect(trainPairs.has(id)).toBe(false);
    expect(splitImageSet(tagged, 0.7, 9)[0].images).toEqual(train.images);
  });
});
