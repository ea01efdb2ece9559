import { describe, expect, it } from 'vitest';
import { LogitlabError } from './errors';
import { announceHostDraw, listenHostDraws } from './host-draw';

const refill = (into: Float32Array) => into.fill(1);

describe('host draws: announced to the one recorder listening', () => {
  it('reaches the listener while installed and nobody after it is removed', () => {
    const seen: object[] = [];
    const stop = listenHostDraws((t, r) => {
      expect(r).toBe(refill);
      seen.push(t);
    });
    const a = {};
    announceHostDraw(a, refill);
    stop();
    announceHostDraw({}, refill);
    expect(seen).toEqual([a]);
  });

  it('refuses a second listener (nested recording) with a typed error, and keeps the first', () => {
    const seen: object[] = [];
    const stop = listenHostDraws((t) => seen.push(t));
    try {
      expect(() => listenHostDraws(() => {})).toThrow(LogitlabError);
      expect(() => listenHostDraws(() => {})).toThrow(/already installed; expected one recorder at a time/);
      const a = {};
      announceHostDraw(a, () => {});
      expect(seen).toEqual([a]);
    } finally {
      stop();
    }
  });
});
