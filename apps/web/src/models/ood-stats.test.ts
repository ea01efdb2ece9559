import { LogitlabError } from '@logitlab/core';
import { describe, expect, it } from 'vitest';
import { OodStatsError, parseOodStats } from './ood-stats';

const b64 = (bytes: number[]): string => btoa(String.fromCharCode(...bytes));
const section = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'convnet-logits',
  layer: 'fc1 + relu (2 units)',
  ink: { low: 30, high: 200 },
  dim: 2,
  scale: 2,
  reference: b64([0, 255, 51, 102]),
  distance: 1.5,
  ...extra,
});
const valid = (): Record<string, unknown> => ({
  data: 'MNIST',
  classify: section(),
  explain: section({ threshold: 50, reliability: { edges: [0, 50], n: [1, 2, 3], right: [1, 1, 3] } }),
});

describe('parseOodStats', () => {
  it('decodes the quantised reference rows and keeps the thresholds', () => {
    const s = parseOodStats(valid());
    expect(Array.from(s.classify.reference)).toEqual([0, 2, 0.4, 0.8].map(Math.fround));
    expect(s.classify.distance).toBe(1.5);
    expect(s.classify.reliability).toBeUndefined();
    expect(s.explain.reliability?.right).toEqual([1, 1, 3]);
    expect(s.explain.threshold).toBe(50);
  });

  const broken: Array<[string, (j: Record<string, unknown>) => void, RegExp]> = [
    ['a missing section', (j) => delete j.explain, /no 'explain' section/],
    ['an inverted ink range', (j) => ((j.classify as Record<string, unknown>).ink = { low: 9, high: 1 }), /classify\.ink .*low <= high/],
    ['a zero dimension', (j) => ((j.classify as Record<string, unknown>).dim = 0), /classify\.dim is 0, expected a positive integer/],
    ['a negative distance', (j) => ((j.explain as Record<string, unknown>).distance = -1), /explain\.distance is -1/],
    ['a reference that is not base64', (j) => ((j.classify as Record<string, unknown>).reference = '%%%'), /classify\.reference/],
    [
      'a reference of a partial row',
      (j) => ((j.classify as Record<string, unknown>).reference = b64([1, 2, 3])),
      /"3 bytes", expected base64/,
    ],
    [
      'reliability counts that do not match the edges',
      (j) => ((j.explain as Record<string, unknown>).reliability = { edges: [0, 50], n: [1, 2], right: [1, 2] }),
      /explain\.reliability .*one more count than edges/,
    ],
    ['reliability without a threshold', (j) => delete (j.explain as Record<string, unknown>).threshold, /explain\.threshold is undefined/],
  ];
  for (const [what, breakIt, message] of broken) {
    it(`refuses ${what} with a typed error naming the field`, () => {
      const j = valid();
      breakIt(j);
      let caught: unknown;
      try {
        parseOodStats(j);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(OodStatsError);
      expect(caught).toBeInstanceOf(LogitlabError);
      expect((caught as Error).message).toMatch(message);
    });
  }

  it('refuses a non-object', () => {
    expect(() => parseOodStats(null)).toThrow(OodStatsError);
    expect(() => parseOodStats('ood')).toThrow(/no 'classify' section/);
  });
});
