import type { SampleResult } from '@logitlab/explain';
import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate';

const sample = (index: number, method: string, metrics: Record<string, number>): SampleResult => ({
  index,
  method,
  label: 0,
  target: 0,
  score: 1,
  metrics,
  relevance: { sum: 0, absSum: 0, positiveShare: 0, conservationRelError: 0 },
});

describe('aggregate (the merged report)', () => {
  // method a: pixelFlipping 1, 2, 3 ; method b: 0, 0, NaN (undefined for one image)
  const samples = [0, 1, 2].flatMap((i) => [
    sample(i, 'a', { pixelFlipping: i + 1, entropy: 2 }),
    sample(i, 'b', { pixelFlipping: i === 2 ? NaN : 0, entropy: 1 + i }),
  ]);
  const r = aggregate(samples, ['a', 'b'], ['pixelFlipping', 'entropy']);

  it('means with 95% intervals over the images where a metric is defined', () => {
    expect(r.table.a!.pixelFlipping).toEqual({ mean: 2, ci95: 1.96 / Math.sqrt(3), n: 3 });
    expect(r.table.b!.pixelFlipping).toEqual({ mean: 0, ci95: 0, n: 2 });
    expect(r.images).toBe(3);
  });

  it('best and worst images by the first faithfulness metric, in its direction', () => {
    expect(r.extremes.rankedBy).toBe('pixelFlipping');
    expect(r.extremes.best.a!.map((e) => e.index)).toEqual([2, 1, 0]);
    expect(r.extremes.worst.a!.map((e) => e.index)).toEqual([0, 1, 2]);
  });

  it('findings are computed from the table: who leads, in which direction, and whether the intervals separate them', () => {
    expect(r.findings[0]).toBe('a leads on 2 of 2 metrics.');
    expect(r.findings[1]).toMatch(
      /^faithfulness \/ pixelFlipping \(higher is better\): a leads with 2\.00 ± 1\.13 over b with 0\.00 ± 0\.00; the 95% intervals do not overlap\.$/,
    );
    // entropy: lower is better; b's 2 ± 1.13 vs a's 2 ± 0 tie on the mean, broken by name
    expect(r.findings[2]).toMatch(/^complexity \/ entropy \(lower is better\): a leads .* the 95% intervals overlap/);
  });

  it('does not depend on the order the shards came in', () => {
    const shuffled = [...samples.slice(4), ...samples.slice(0, 4)];
    expect(JSON.stringify(aggregate(shuffled, ['a', 'b'], ['pixelFlipping', 'entropy']).table)).toBe(JSON.stringify(r.table));
  });
});
