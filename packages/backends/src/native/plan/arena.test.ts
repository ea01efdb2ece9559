// The arena planner: values alive at the same time never share bytes, parameters and inputs stay outside it, and
// greedy by size reaches the live peak where first fit in definition order left a gap too small for a late value.
import { describe, expect, it } from 'vitest';
import type { SlotSpec } from '../../compat/step-plan';
import { planArena } from './arena';

const value = (n: number): SlotSpec => ({ source: { kind: 'op', op: 0, output: 0 }, shape: [n], dtype: 'float32' });

function plan(sizes: number[], def: number[], lastRead: number[], external = new Map<number, number>()) {
  const slots = sizes.map(value);
  return planArena({ slots, root: slots.map((_, i) => i), def, lastRead, external, permanent: [] });
}

describe('planArena', () => {
  it('gives values alive at the same time disjoint bytes, over a pseudo-random plan of 60 values', () => {
    let seed = 3;
    const rand = (k: number) => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) % k;
    const sizes = Array.from({ length: 60 }, () => 1 + rand(5000));
    const def = sizes.map((_, i) => i);
    const lastRead = def.map((d) => d + rand(20));
    const { storage, bytes } = plan(sizes, def, lastRead);
    for (let p = 0; p < 60; p++)
      for (let q = p + 1; q < 60; q++) {
        const [a, b] = [storage[p]!, storage[q]!];
        const alive = def[p]! <= lastRead[q]! && def[q]! <= lastRead[p]!;
        const overlap = a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
        expect(alive && overlap, `values ${p} and ${q}`).toBe(false);
      }
    expect(Math.max(...storage.map((s) => s!.offset + s!.bytes))).toBeLessThanOrEqual(bytes);
  });

  it('packs a small early value and a big late one into the live peak (first fit put the big one above the gap)', () => {
    // 0: 16 floats alive 0..1; 1: 16 floats alive 1..3; 2: 64 floats alive 2..3. The peak is 80 floats (at 2..3); first
    // fit put 0 at 0 and 1 above it, and 2 did not fit the 16-float gap 0 left: 96 floats
    const { storage, bytes } = plan([16, 16, 64], [0, 1, 2], [1, 3, 3]);
    expect(bytes).toBe(80 * 4);
    expect(storage.map((s) => s!.offset)).toEqual([0, 256, 0]);
  });

  it('keeps the step inputs and parameters outside the arena, in their own buffers', () => {
    const { storage, bytes } = plan([64, 16], [-1, 0], [0, 1], new Map([[0, 2]]));
    expect(storage[0]).toEqual({ buffer: 3, offset: 0, bytes: 256 });
    expect(storage[1]).toEqual({ buffer: 0, offset: 0, bytes: 64 });
    expect(bytes).toBe(64);
  });
});
