// Issue 20's matrix over fit's options: compiled and eager runs agree after 100 steps with every
// optimiser, scheduler, clipping mode, accumulation and weight-decay mode (cases.ts), on each backend.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { OPTION_CASES } from './cases';
import { enterBackend, expectCompiledMatchesEager, MATRIX_BACKENDS } from './harness';

for (const backend of MATRIX_BACKENDS) {
  describe(`compiled vs eager fit on ${backend}, 100 steps`, () => {
    let skip: string | undefined;
    beforeAll(async () => {
      skip = await enterBackend(backend);
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    for (const c of OPTION_CASES)
      it(c.name, async (ctx) => {
        if (skip) ctx.skip();
        await expectCompiledMatchesEager(backend, c);
      });
  });
}
