// The worker's replay tally against fit itself (cpu): it must see replays where fit compiles, none
// where fit steps eagerly, and the reason fit gives when a compiled step falls back.
import * as tf from '@tensorflow/tfjs-core';
import { replayable, replayableLike, setPitfallWarnings } from '@logitlab/core';
import { Linear, manualSeed } from '@logitlab/layers';
import { crossEntropy } from '@logitlab/losses';
import { fit, type Batch } from '@logitlab/train';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplayTally } from './replay-tally';

const STEPS = 12;

const batches = (): Batch[] =>
  Array.from({ length: STEPS }, (_, i) => ({
    x: tf.randomNormal([8, 4], 0, 1, 'float32', i),
    y: tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'),
  }));

/** `STEPS` steps of a linear classifier on fixed random batches, the loss through the tally. */
async function train(loss: (model: Linear, b: Batch) => tf.Tensor, compile?: boolean) {
  const before = tf.memory().numTensors;
  manualSeed(3);
  const model = new Linear(4, 3);
  const optimizer = tf.train.sgd(0.1);
  const tally = new ReplayTally();
  const unlisten = tally.listen();
  try {
    await fit(model, {
      data: batches(),
      epochs: 1,
      optimizer,
      forward: replayable((_m: Linear, b: Batch) => b),
      loss: tally.counted(replayableLike(loss, (b: Batch) => loss(model, b))),
      ...(compile === undefined ? {} : { compile }),
      callbacks: [{ onBatchEnd: () => tally.endStep() }],
    });
  } finally {
    unlisten();
  }
  optimizer.dispose();
  model.dispose();
  return { report: tally.report(), leaked: tf.memory().numTensors - before };
}

const libraryLoss = replayable((m: Linear, b: Batch) => crossEntropy(m.call(b.x), b.y));
const unmarked = (m: Linear, b: Batch) => crossEntropy(m.call(b.x), b.y);

describe("the training worker's replay tally", () => {
  afterEach(() => vi.restoreAllMocks());

  it("counts the steps fit replayed (the loss's JavaScript skipped) on a replayable loss", async () => {
    // A fresh call site: crossEntropy's pitfall check reads rows back on its first 3 calls per site, and
    // a trace with a host read is refused and retried. Step 1 is eager (the optimiser makes its slots),
    // step 2's trace is refused, step 3 is eager, step 4 traces again (no check left) and replays.
    const fresh = replayable((m: Linear, b: Batch) => crossEntropy(m.call(b.x), b.y));
    const { report, leaked } = await train(fresh);
    expect(report).toEqual({ steps: STEPS, replayed: STEPS - 4, fallbacks: [] });
    expect(leaked).toBe(0);
    // without the pitfall checks: step 1 eager, step 2 traces, every later step replays
    setPitfallWarnings(false);
    try {
      const unchecked = replayable((m: Linear, b: Batch) => crossEntropy(m.call(b.x), b.y));
      expect((await train(unchecked)).report).toEqual({ steps: STEPS, replayed: STEPS - 2, fallbacks: [] });
    } finally {
      setPitfallWarnings(true);
    }
  });

  it('sees no replay where fit steps eagerly, and says why for a loss that is not marked', async () => {
    const { report } = await train(unmarked);
    expect(report).toEqual({
      steps: STEPS,
      replayed: 0,
      fallbacks: ["the recipe's loss is not marked replayable, so fit's compile: 'auto' steps it eagerly"],
    });
    expect((await train(libraryLoss, false)).report).toEqual({ steps: STEPS, replayed: 0, fallbacks: [] });
  });

  it('records the reason fit tells when a compiled step falls back (a host read inside the loss)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const reading = replayable((m: Linear, b: Batch) => {
      const out = m.call(b.x);
      if (!Number.isFinite(out.dataSync()[0])) throw new Error('unreachable: finite inputs');
      return crossEntropy(out, b.y);
    });
    const { report, leaked } = await train(reading);
    expect(report.replayed).toBe(0);
    expect(report.fallbacks).toHaveLength(1);
    expect(report.fallbacks[0]).toMatch(/read/i);
    expect(leaked).toBe(0);
    // the told reason still reaches the console, once
    expect(console.warn).toHaveBeenCalledTimes(1);
  });

  it("takes only fit's told reasons from the console, and leaves console.warn as it found it", () => {
    const printed = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const tally = new ReplayTally();
    const unlisten = tally.listen();
    try {
      console.warn('compiled forward: runs eagerly: validation is not the training step');
      console.warn(42, 'runs eagerly: not the first argument');
      console.warn('compiled step: runs eagerly: input shapes changed');
      console.warn('compiled step: runs eagerly: input shapes changed');
    } finally {
      unlisten();
    }
    expect(console.warn).toBe(printed);
    expect(printed).toHaveBeenCalledTimes(4);
    expect(tally.report().fallbacks).toEqual(['input shapes changed']);
  });
});
