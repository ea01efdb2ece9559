// Plain-node check of the BUILT package: both entries load (ESM and CJS) and share one error class.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AtomicWriteError, LogitlabError, Rng } from '@logitlab/core';
import { writeFileAtomic } from '@logitlab/core/node';

test('core dist: RNG stream and atomic write from plain node', async () => {
  assert.equal(new Rng(42).nextUint32(), 2581720956);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-core-dist-'));
  try {
    await writeFileAtomic(path.join(dir, 'x.txt'), 'ok');
    assert.equal(fs.readFileSync(path.join(dir, 'x.txt'), 'utf8'), 'ok');
    fs.mkdirSync(path.join(dir, 'd'));
    fs.writeFileSync(path.join(dir, 'd', 'f'), '');
    await assert.rejects(
      writeFileAtomic(path.join(dir, 'd'), 'x', { purpose: 'report' }),
      (e) => e instanceof AtomicWriteError && e instanceof LogitlabError,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('core dist: the CJS entries load too', () => {
  const require = createRequire(import.meta.url);
  const core = require('@logitlab/core');
  const node = require('@logitlab/core/node');
  assert.equal(typeof core.Rng, 'function');
  assert.equal(typeof node.writeFileAtomicSync, 'function');
});
