// explainAsync gives explain's Explanation: on cpu for every method; on a backend without sync reads
// (a cpu backend whose readSync throws, always here; webgpu on Dawn where installed) for every built-in
// method (read ahead at x, or the method's own attributeAsync), with maps equal to cpu's.
import * as tf from '@tensorflow/tfjs-core';
import { markNoSyncReads } from '@logitlab/core';
import { manualSeed } from '@logitlab/layers';
import { MnistConvNet } from '@logitlab/models';
import { useBackend } from '@logitlab/backends';
import { describe, expect, it } from 'vitest';
import { registerNoSyncReadsBackend } from '../../../scripts/test-utils/no-sync-reads-backend';
import { ExplainInputError, ExplainOptionsError } from './errors';
import { type ExplainOptions, type Explanation, explain } from './explain';
import { explainAsync, readAheadMethods } from './explain-async';
import { attributionMethod, methodNames, registerMethod } from './methods/registry';
import { forwardScores } from './session';

const methods = methodNames();
// the methods that run without sync reads: read ahead at x, or with their own asynchronous attribution
const noSyncMethods = methods.filter((m) => readAheadMethods.includes(m) || attributionMethod(m).attributeAsync);

// a cpu backend whose tensors' sync reads throw, as webgpu's do in Node
const NO_SYNC = registerNoSyncReadsBackend();
markNoSyncReads(NO_SYNC);

function model(): MnistConvNet {
  manualSeed(7);
  return new MnistConvNet();
}
const input = () => tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 11);

const OPTIONS: Record<string, ExplainOptions> = {
  lrp: { method: 'lrp', composite: 'epsilonPlus' },
  gradient: { method: 'gradient' },
  sensitivity: { method: 'sensitivity' },
  gradientTimesInput: { method: 'gradientTimesInput', target: [1, 2, 3] },
  integratedGradients: { method: 'integratedGradients', steps: 4 },
  smoothGrad: { method: 'smoothGrad', n: 2 },
  gradCam: { method: 'gradCam', layer: 'conv2' },
  occlusion: { method: 'occlusion', window: 14, stride: 14 },
};

// an Explanation as host values (the relevance read asynchronously and disposed)
async function plain(e: Explanation) {
  const relevance = Array.from(await e.relevance.data());
  e.relevance.dispose();
  return { ...e, relevance };
}

async function on<T>(backend: string, f: () => Promise<T>): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

async function explainOn(backend: string, options: ExplainOptions, async: boolean) {
  return on(backend, async () => {
    const m = model();
    const x = input();
    try {
      return await plain(async ? await explainAsync(m, x, options) : explain(m, x, options));
    } finally {
      x.dispose();
      m.dispose();
    }
  });
}

describe('explainAsync', () => {
  it('covers every method with an options case here', () => {
    expect(new Set(Object.keys(OPTIONS))).toEqual(new Set(methods));
  });

  it.each(methods)('%s on cpu: the same Explanation as explain, no leaks', { timeout: 120_000 }, async (method) => {
    await useBackend('cpu');
    const want = await explainOn('cpu', OPTIONS[method]!, false);
    const before = tf.memory().numTensors;
    const got = await explainOn('cpu', OPTIONS[method]!, true);
    expect(tf.memory().numTensors).toBe(before);
    expect(got).toEqual(want);
  });

  it('every built-in method runs without sync reads', () => {
    expect(noSyncMethods).toEqual(methods);
  });

  it.each(noSyncMethods)(
    '%s without sync reads: equal to explain on cpu; explain itself cannot run there',
    { timeout: 120_000 },
    async (method) => {
      await useBackend('cpu');
      const want = await explainOn('cpu', OPTIONS[method]!, false);
      const before = tf.memory().numTensors;
      const got = await explainOn(NO_SYNC, OPTIONS[method]!, true);
      expect(tf.memory().numTensors).toBe(before);
      expect(got).toEqual(want);
      await tf.setBackend(NO_SYNC);
      const [m, x] = [model(), input()];
      expect(() => explain(m, x, OPTIONS[method])).toThrow(/no synchronous reads/);
      x.dispose();
      m.dispose();
      await tf.setBackend('cpu');
    },
  );

  it('a registered method that reads off x synchronously and has no attributeAsync: a typed error naming it, the backend and the methods that work', async () => {
    // scores the all-zero input too, as integrated gradients did before it had attributeAsync
    registerMethod({
      name: 'zeroDifference',
      label: 'zero difference',
      summary: 'test only',
      options: [],
      conserves: 'none',
      attribute(session, x) {
        const scores = forwardScores(session, x);
        const zeros = tf.zerosLike(x);
        const zero = forwardScores(session, zeros, scores.target);
        zeros.dispose();
        return { relevance: tf.fill(x.shape, scores.explained[0]! - zero.explained[0]!), scores, reference: scores.explained };
      },
    });
    await tf.setBackend(NO_SYNC);
    const [m, x] = [model(), input()];
    const before = tf.memory().numTensors;
    const error = await explainAsync(m, x, { method: 'zeroDifference' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExplainOptionsError);
    expect((error as Error).message).toContain(`method 'zeroDifference'`);
    expect((error as Error).message).toContain(`backend '${NO_SYNC}'`);
    expect((error as Error).message).toContain(readAheadMethods.join(', '));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
    await tf.setBackend('cpu');
  });

  it('refuses a NaN in x without sync reads, naming its index, with nothing leaked', async () => {
    await tf.setBackend(NO_SYNC);
    const m = model();
    const values = new Float32Array(3 * 28 * 28).fill(0.5);
    values[37] = NaN;
    const x = tf.tensor4d(values, [3, 28, 28, 1]);
    const before = tf.memory().numTensors;
    const error = await explainAsync(m, x, OPTIONS['lrp']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExplainInputError);
    expect((error as Error).message).toContain('flat index 37');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
    await tf.setBackend('cpu');
  });
});

// webgpu on Dawn (llvmpipe here and in CI, where LOGITLAB_REQUIRE_WEBGPU=1 makes a missing one fail)
const webgpuSkip = await useBackend('webgpu').then(
  () => undefined,
  (error: unknown) => {
    if (process.env.LOGITLAB_REQUIRE_WEBGPU === '1') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`SKIPPED explainAsync on webgpu (LOGITLAB_REQUIRE_WEBGPU=1 makes this fail): ${reason}`);
    return reason;
  },
);

describe.skipIf(webgpuSkip)(`explainAsync on webgpu${webgpuSkip ? ` (SKIPPED: ${webgpuSkip})` : ''}`, () => {
  // float32 sums in another order: the map within 1e-4 of its largest value, targets equal
  it.each(noSyncMethods)("%s: the map equals cpu's (1e-4 of its scale)", { timeout: 300_000 }, async (method) => {
    await useBackend('cpu');
    const want = await explainOn('cpu', OPTIONS[method]!, false);
    await useBackend('webgpu');
    const got = await explainOn('webgpu', OPTIONS[method]!, true);
    expect(got.target).toEqual(want.target);
    const scale = Math.max(...want.relevance.map(Math.abs));
    const diff = Math.max(...got.relevance.map((v, i) => Math.abs(v - want.relevance[i]!)));
    expect(diff / scale).toBeLessThan(1e-4);
    got.score.forEach((s, i) => expect(Math.abs(s - want.score[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(want.score[i]!))));
    await useBackend('cpu');
  });
});
