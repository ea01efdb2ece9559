import { describe, expect, it } from 'vitest';
import { isReplayable, replayable, replayableLike } from './replayable';

const plain = (x: number) => x;

describe('replayable marks', () => {
  it('marks a function; anything else, or an unmarked function, is not replayable', () => {
    const marked = replayable((x: number) => x + 1);
    expect(isReplayable(marked)).toBe(true);
    expect(isReplayable((x: number) => x + 1)).toBe(false);
    for (const v of [undefined, null, 3, 'f', {}]) expect(isReplayable(v)).toBe(false);
  });

  it('replayableLike passes the mark on to a wrapper only from a marked function', () => {
    const inner = replayable((x: number) => x * 2);
    const wrapped = replayableLike(inner, (x: number) => inner(x));
    expect(isReplayable(wrapped)).toBe(true);
    expect(wrapped(3)).toBe(6);
    expect(isReplayable(replayableLike(plain, (x: number) => plain(x)))).toBe(false);
    expect(isReplayable(replayableLike(undefined, (x: number) => x))).toBe(false);
  });
});
