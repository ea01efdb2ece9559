// Plain-node test of the BUILT @logitlab/train (run `pnpm build` first): no vitest, no bundler. Each
// format runs in a fresh process: fit with the training basics (scheduler, clipping, accumulation,
// weight decay, abort), a checkpoint round trip with its checksum, the compat subpath it uses, a compiled step and a compiled forward.
// Run with: node --test packages/train/test/dist.test.mjs
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkgDir = path.resolve(import.meta.dirname, '..');

const BODY = `
  await backends.useBackend('cpu');
  layers.manualSeed(1);
  const model = new layers.Sequential(new layers.Linear(2, 8), new layers.ReLU(), new layers.Linear(8, 2));
  const batches = () => Array.from({ length: 6 }, (_, i) => ({ x: tf.randomNormal([8, 2], 0, 1, 'float32', i), y: tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32') }));
  const ce = (o, y) => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 2), o);
  const optimizer = tf.train.adam(0.01);
  const before = tf.memory().numTensors;
  const res = await train.fit(model, {
    loss: ce, optimizer, data: batches(), epochs: 1, accumulateSteps: 2,
    gradClip: { maxNorm: 1 }, weightDecay: { value: 0.01, mode: 'decoupled' }, scheduler: train.oneCycleLR({ maxLr: 0.05, totalSteps: 4 }),
  });
  const ac = new AbortController();
  ac.abort();
  const aborted = await train.fit(model, { loss: ce, optimizer, data: batches(), epochs: 1, signal: ac.signal, pause: new train.PauseController() });
  const bytes = await train.saveCheckpoint(model, optimizer, { epoch: 1, step: 6, seed: 1 });
  const info = train.readCheckpointInfo(bytes);
  bytes[bytes.length - 1] ^= 1;
  const corrupt = await train.loadCheckpoint(bytes, model, tf.train.adam(0.01)).then(() => 'loaded', (e) => e.name);
  const told = [];
  const compiledStep = train.compileStep(model, { loss: ce, optimizer: tf.train.sgd(0.1) }, { onFallback: (r) => told.push(r) });
  for (const b of batches()) tf.dispose([compiledStep.step(b), b.x, b.y]);
  const { eager, traces, replays } = compiledStep.stats;
  compiledStep.dispose();
  const forward = train.compileForward(model.eval(), { onFallback: (r) => told.push(r) });
  for (const b of batches()) tf.dispose([forward.call(b.x), b.x, b.y]);
  const fwd = { traces: forward.stats.traces, replays: forward.stats.replays };
  forward.dispose();
  console.log(JSON.stringify({ compiled: { eager, traces, replays, told }, forward: fwd, steps: res.steps, stop: res.stopReason, aborted: aborted.stopReason, iterations: optimizer.iterations, lr: compat.optimizerLearningRate(optimizer), info, corrupt, version: compat.TESTED_TFJS_VERSION }));
`;

function runIn(format) {
  const script =
    format === 'esm'
      ? `import * as tf from '@tensorflow/tfjs-core'; import * as backends from '@logitlab/backends'; import * as compat from '@logitlab/backends/compat'; import * as layers from '@logitlab/layers'; import * as train from '@logitlab/train'; await (async () => {${BODY}})();`
      : `const tf = require('@tensorflow/tfjs-core'); const backends = require('@logitlab/backends'); const compat = require('@logitlab/backends/compat'); const layers = require('@logitlab/layers'); const train = require('@logitlab/train'); (async () => {${BODY}})().catch((e) => { console.error(e); process.exit(1); });`;
  const args = format === 'esm' ? ['--input-type=module', '-e', script] : ['--input-type=commonjs', '-e', script];
  const stdout = execFileSync(process.execPath, args, { cwd: pkgDir, encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').pop());
}

for (const format of ['esm', 'cjs']) {
  test(`${format} build: fit with scheduler, clipping, accumulation, decay and abort; checksummed checkpoints`, () => {
    const out = runIn(format);
    assert.equal(out.steps, 6);
    assert.equal(out.stop, 'completed');
    assert.equal(out.aborted, 'aborted');
    assert.equal(out.iterations, 3); // 6 batches in groups of 2
    assert.ok(Math.abs(out.lr - 0.05 / 25 / 1e4) < 1e-12, `3 of 4 oneCycle steps end at maxLr / 25 / 1e4, got ${out.lr}`);
    assert.equal(out.info.optimizer, 'Adam');
    assert.equal(out.corrupt, 'CheckpointError');
    assert.equal(out.version, '4.22.0');
    // the recorder patches the engine and Variable of the same tfjs-core the user's code runs (ESM and CJS)
    assert.deepEqual(out.compiled, { eager: 1, traces: 1, replays: 5, told: [] });
    assert.deepEqual(out.forward, { traces: 1, replays: 5 });
  });
}
