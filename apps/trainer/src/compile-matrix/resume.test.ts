// A checkpoint written by a compiled run resumes bit-identically, compiled or eager, for the option
// cases with optimiser slots, a scheduler's state and accumulation (cpu: bitwise).
import { memoryStorage } from '@logitlab/train';
import { describe, expect, it } from 'vitest';
import { OPTION_CASES } from './cases';
import { runCase } from './harness';

const bits = (v: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(v).buffer));
const STEPS_PER_EPOCH = 10;

describe('a compiled run checkpointed after 2 of 4 epochs resumes bit-identically (cpu)', () => {
  const names = [
    'Adam, cosineAnnealingLR, clip by norm',
    'SGD + momentum, reduceLROnPlateau, decoupled decay, accumulation 3',
    'AdamW, cosineAnnealingLR, clip by norm, accumulation 4',
  ];
  for (const name of names)
    it(name, async () => {
      const c = OPTION_CASES.find((k) => k.name === name);
      if (!c) throw new Error(`no option case named "${name}"`);
      const full = await runCase(c, false, { epochs: 4 });
      for (const resumeCompiled of [true, false]) {
        const storage = memoryStorage();
        const first = await runCase(c, true, { epochs: 2, storage });
        expect(first.losses).toEqual(full.losses.slice(0, 2 * STEPS_PER_EPOCH));
        const resumed = await runCase(c, resumeCompiled, { epochs: 4, resume: storage });
        const how = resumeCompiled ? 'resumed compiled' : 'resumed eager';
        expect(bits(resumed.losses), how).toEqual(bits(full.losses.slice(2 * STEPS_PER_EPOCH)));
        expect(resumed.params.map(bits), how).toEqual(full.params.map(bits));
      }
    });
});
