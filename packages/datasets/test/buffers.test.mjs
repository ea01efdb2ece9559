// Plain-node check of the BUILT package with what fs.readFileSync really returns: a Buffer that is a
// view into a shared pool (both the ESM and the CJS build).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import * as esm from '@logitlab/datasets';

const cjs = createRequire(import.meta.url)('@logitlab/datasets');

for (const [format, datasets] of [
  ['esm', esm],
  ['cjs', cjs],
]) {
  test(`parseIdx reads int8 from a pooled Buffer and caps gzip inflation (${format})`, () => {
    const bytes = datasets.writeIdx({ data: new Int8Array([-3, 4]), shape: [2] });
    const pooled = Buffer.concat([Buffer.alloc(5, 1), bytes]).subarray(5);
    assert.deepEqual(Array.from(datasets.parseIdx(pooled).data), [-3, 4]);
    const gz = datasets.writeIdx({ data: new Uint8Array(4096), shape: [4096] }, { gzip: true });
    assert.throws(
      () => datasets.parseIdx(gz, { maxBytes: 1000 }),
      (e) => e instanceof datasets.IdxFormatError && e.reason === 'too-large',
    );
  });
}
