import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { stepEnv } from './test-env.mjs';

describe('test-all step environment', () => {
  it('turns colour off when the log is not a terminal', () => {
    expect(stepEnv({ PATH: '/bin' }, false)).toEqual({ PATH: '/bin', NO_COLOR: '1' });
  });
  it('leaves a terminal, or a user who forces colour, alone', () => {
    expect(stepEnv({ PATH: '/bin' }, true)).toEqual({ PATH: '/bin' });
    expect(stepEnv({ FORCE_COLOR: '1' }, false)).toEqual({ FORCE_COLOR: '1' });
  });
});
