import { describe, expect, it } from 'vitest';
import { slowBackendHint } from './slow-hint';

describe('slow-backend hint', () => {
  it('says nothing when the first step came soon', () => {
    expect(slowBackendHint('cpu', 1999, new Map())).toBeNull();
    expect(slowBackendHint('cpu', Number.NaN, new Map())).toBeNull();
  });

  it('states the measured time and suggests wasm without claiming a speed-up it never measured', () => {
    expect(slowBackendHint('cpu', 6600, new Map())).toBe(
      "The first step took 6.6 s on cpu. Try wasm (the header's backend menu) and train again: this hint will then compare the two.",
    );
    expect(slowBackendHint('wasm', 2500, new Map())).toBe('The first step took 2.5 s on wasm.');
  });

  it('computes the ratio from another backend timed in this session, choosing the fastest', () => {
    const measured = new Map([
      ['cpu', 6600],
      ['webgl', 900],
      ['wasm', 220],
    ]);
    expect(slowBackendHint('cpu', 6600, measured)).toBe(
      'The first step took 6.6 s on cpu; on wasm it took 0.2 s in this page (30x sooner): pick wasm in the header.',
    );
    // A slower backend measured earlier is no reason to switch.
    expect(slowBackendHint('webgl', 3000, new Map([['cpu', 6600]]))).toContain('Try wasm');
  });
});
