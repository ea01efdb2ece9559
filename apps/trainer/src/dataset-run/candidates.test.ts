import type { BatchResult, SampleResult } from '@logitlab/explain';
import { describe, expect, it } from 'vitest';
import { type CandidateSpec, decodeFloats, encodeFloats, extremes, rankingMetric, withCandidates } from './candidates';

const sample = (index: number, method: string, value: number): SampleResult => ({
  index,
  method,
  label: 0,
  target: 0,
  score: 1,
  metrics: { pixelFlipping: value },
  relevance: { sum: 0, absSum: 0, positiveShare: 0, conservationRelError: 0 },
  map: Float32Array.from([index, value, -1, 0.5]),
});

describe('best / worst candidates', () => {
  it('ranks in the metric direction, skips undefined values, and breaks ties by image index', () => {
    const rows = [5, 3, NaN, 3, 7, 3].map((value, index) => ({ index, value }));
    const up = extremes(rows, 2, true);
    expect(up.best).toEqual([
      { index: 4, value: 7 },
      { index: 0, value: 5 },
    ]);
    // worst first: the tied 3s of images 1, 3 and 5 rank 1 < 3 < 5, so the worst is 5, then 3
    expect(up.worst).toEqual([
      { index: 5, value: 3 },
      { index: 3, value: 3 },
    ]);
    const down = extremes(rows, 2, false);
    expect(down.best.map((e) => e.index)).toEqual([1, 3]);
    expect(down.worst.map((e) => e.index)).toEqual([4, 0]);
    expect(extremes([{ index: 0, value: NaN }], 3, true)).toEqual({ best: [], worst: [] });
  });

  it("the dataset's k best and worst are among the batches' candidates, however the batches are cut", () => {
    // values with many ties, so the index tie-break decides membership
    const rows = Array.from({ length: 97 }, (_, index) => ({ index, value: (index * 37) % 11 }));
    for (const higherIsBetter of [true, false]) {
      const global = extremes(rows, 3, higherIsBetter);
      for (const size of [1, 2, 5, 32, 97]) {
        const kept = new Set<number>();
        for (let s = 0; s < rows.length; s += size) {
          const e = extremes(rows.slice(s, s + size), 3, higherIsBetter);
          for (const r of [...e.best, ...e.worst]) kept.add(r.index);
        }
        const fromCandidates = extremes(
          rows.filter((r) => kept.has(r.index)),
          3,
          higherIsBetter,
        );
        expect(fromCandidates, `batches of ${size}`).toEqual(global);
      }
    }
  });

  it('a batch keeps the maps and images of each method’s k best and k worst, and no other map', () => {
    const spec: CandidateSpec = { rankedBy: 'pixelFlipping', higherIsBetter: true, k: 1, shape: [2, 2] };
    const values = [0.5, 2, NaN, -1];
    const result: BatchResult = {
      batch: 1,
      start: 4,
      count: 4,
      samples: values.flatMap((v, i) => [sample(4 + i, 'a', v), sample(4 + i, 'b', -v)]),
    };
    const stored = withCandidates(result, spec, (i) => Float32Array.from([i, i, i, i]));
    expect(stored.samples.every((s) => s.map === undefined)).toBe(true);
    expect(stored.samples.map((s) => s.index)).toEqual(result.samples.map((s) => s.index));
    expect(Object.keys(stored.candidates.maps.a!)).toEqual(['5', '7']);
    // b ranks -v: best is image 7 (-(-1)), worst image 5; JSON objects list integer keys in ascending order
    expect(Object.keys(stored.candidates.maps.b!)).toEqual(['5', '7']);
    expect(Object.keys(stored.candidates.images)).toEqual(['5', '7']);
    expect(Array.from(decodeFloats(stored.candidates.maps.a!['5'], 4)!)).toEqual([5, 2, -1, 0.5]);
    expect(Array.from(decodeFloats(stored.candidates.images['7'], 4)!)).toEqual([7, 7, 7, 7]);
    // what the file holds is JSON: the same after a round trip
    expect(JSON.parse(JSON.stringify(stored.candidates))).toEqual(stored.candidates);
  });

  it('decodes only a base64 text of exactly the expected number of floats', () => {
    const v = Float32Array.from([1.5, -0, 3e-39, Number.MAX_VALUE]);
    expect(Array.from(decodeFloats(encodeFloats(v), 4)!)).toEqual(Array.from(v));
    expect(decodeFloats(encodeFloats(v.subarray(1)), 4)).toBeNull();
    expect(decodeFloats(encodeFloats(v), 3)).toBeNull();
    expect(decodeFloats(42, 1)).toBeNull();
    expect(decodeFloats(undefined, 1)).toBeNull();
  });

  it('ranks by the first faithfulness metric, else the first metric, else none', () => {
    expect(rankingMetric(['entropy', 'monotonicity', 'pixelFlipping'])).toEqual({ name: 'monotonicity', higherIsBetter: true });
    expect(rankingMetric(['entropy', 'sparseness'])).toEqual({ name: 'entropy', higherIsBetter: false });
    expect(rankingMetric([])).toBeNull();
  });
});
