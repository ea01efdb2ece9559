import * as tf from '@tensorflow/tfjs-core';
import { DataLoader } from '@logitlab/datasets';
import { Conv2d, Flatten, Linear, ReLU, Sequential, manualSeed } from '@logitlab/layers';
import { MetricInputError, MissingMasksError } from '@logitlab/metrics';
import { describe, expect, it } from 'vitest';
import { ExplainModelError, ExplainOptionsError, explainDataset, type BatchResult, parseMethodSpec, withInputShift } from '../index';

// A tiny classifier on 8 x 8 x 1 images: an unpadded conv (so input invariance applies), a dense head.
function tinyNet(): Sequential {
  manualSeed(3);
  return new Sequential(new Conv2d(1, 4, 3), new ReLU(), new Flatten(), new Linear(144, 3));
}
const count = 10;
const x = Float32Array.from({ length: count * 64 }, (_, k) => ((k * 37) % 101) / 100);
const y = Int32Array.from({ length: count }, (_, i) => i % 3);
const masks = Float32Array.from({ length: count * 64 }, (_, k) => (k % 64 < 24 ? 1 : 0));
const loader = () => new DataLoader({ x, xShape: [8, 8, 1], y, yShape: [] }, { batchSize: 4 });
const methods = [{ method: 'gradient' as const }, { method: 'lrp' as const, composite: 'epsilonPlus' as const }];

async function run(options: Partial<Parameters<typeof explainDataset>[2]> = {}): Promise<BatchResult[]> {
  const net = tinyNet();
  const out: BatchResult[] = [];
  try {
    await explainDataset(net, loader(), { methods, metrics: 'all', masks, seed: 5, sink: (b) => void out.push(b), ...options });
  } finally {
    net.dispose();
  }
  return out;
}

describe('explainDataset', () => {
  it(
    'explains every image with every method, scores every metric, streams batch by batch, and leaks nothing',
    { timeout: 120_000 },
    async () => {
      const before = tf.memory().numTensors;
      const progress: number[] = [];
      const out = await run({ onProgress: (p) => progress.push(p.done) });
      expect(tf.memory().numTensors).toBe(before);
      expect(out.map((b) => [b.batch, b.start, b.count])).toEqual([
        [0, 0, 4],
        [1, 4, 4],
        [2, 8, 2],
      ]);
      const samples = out.flatMap((b) => b.samples);
      expect(samples).toHaveLength(count * 2);
      expect(samples.map((s) => `${s.index}:${s.method}`).slice(0, 3)).toEqual(['0:gradient', '0:lrp:epsilonPlus', '1:gradient']);
      expect(Object.keys(samples[0]!.metrics)).toContain('faithfulnessCorrelation');
      expect(Object.keys(samples[0]!.metrics)).toHaveLength(14);
      expect(samples.every((s) => s.label === s.index % 3)).toBe(true);
      expect(progress).toEqual([4, 8, 10]);
      // Kindermans et al.: the gradient of a model whose first bias absorbs the shift is unchanged
      expect(samples.filter((s) => s.method === 'gradient').every((s) => s.metrics.inputInvariance === 1)).toBe(true);
    },
  );

  it(
    'is deterministic, and a batch gives the same results whichever other batches run (shards, resume)',
    { timeout: 120_000 },
    async () => {
      const metrics = ['faithfulness', 'robustness', 'randomisation'];
      const all = await run({ metrics });
      const again = await run({ metrics });
      expect(JSON.stringify(again)).toBe(JSON.stringify(all));
      const odd = await run({ metrics, selectBatch: (b) => b % 2 === 1 });
      expect(odd.map((b) => b.batch)).toEqual([1]);
      expect(JSON.stringify(odd[0])).toBe(JSON.stringify(all[1]));
    },
  );

  it('stops at an aborted signal before the next batch, keeping what the sink already has', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const got: number[] = [];
    await expect(
      run({
        metrics: ['complexity'],
        signal: controller.signal,
        sink: (b) => {
          got.push(b.batch);
          controller.abort(new Error('stop'));
        },
      }),
    ).rejects.toThrow('stop');
    expect(got).toEqual([0]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it(
    'an abort from outside the run (a signal handler, a timer) reaches it mid-batch: that batch never reaches the sink',
    { timeout: 60_000 },
    async () => {
      // the handler runs as its own task, as a SIGTERM handler does; the run used to be one chain of
      // microtasks that never let it run, so it finished every batch
      const controller = new AbortController();
      const before = tf.memory().numTensors;
      const got: number[] = [];
      let batchOneStarts = 0;
      await expect(
        run({
          metrics: ['complexity', 'faithfulness'],
          signal: controller.signal,
          // the loop asks about batch 1 once to count the work, then once when it gets there
          selectBatch: (b) => {
            if (b === 1 && ++batchOneStarts === 2) setImmediate(() => setImmediate(() => controller.abort(new Error('SIGTERM'))));
            return true;
          },
          sink: (b) => void got.push(b.batch),
        }),
      ).rejects.toThrow('SIGTERM');
      expect(got).toEqual([0]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('bad input: a mask metric without masks, an unknown metric, no methods, repeated methods, target label without labels', async () => {
    await expect(run({ masks: undefined })).rejects.toThrow(MissingMasksError);
    await expect(run({ masks: undefined, metrics: ['localisation'] })).rejects.toThrow(
      /pointingGame, attributionLocalisation, relevanceRankAccuracy need ground-truth masks/,
    );
    await expect(run({ metrics: ['faithfullness'] })).rejects.toThrow(MetricInputError);
    await expect(run({ methods: [] })).rejects.toThrow(ExplainOptionsError);
    await expect(run({ methods: [methods[0]!, methods[0]!] })).rejects.toThrow(/method specs repeat: gradient, gradient/);
    const net = tinyNet();
    const floatY = new DataLoader({ x, xShape: [8, 8, 1], y: new Float32Array(count * 2), yShape: [2] }, { batchSize: 4 });
    await expect(explainDataset(net, floatY, { methods, target: 'label', sink: () => {} })).rejects.toThrow(
      /target 'label' needs one class index per image/,
    );
    net.dispose();
  });

  it("parses method specs from explain's own lists", () => {
    expect(parseMethodSpec('lrp:epsilonPlus')).toEqual({ method: 'lrp', composite: 'epsilonPlus' });
    expect(parseMethodSpec('integratedGradients')).toEqual({ method: 'integratedGradients' });
    expect(() => parseMethodSpec('lrp:epsilonPlu')).toThrow(/unknown composite 'epsilonPlu'/);
    expect(() => parseMethodSpec('gradient:epsilon')).toThrow(/only lrp takes a composite/);
    expect(() => parseMethodSpec('saliency')).toThrow(/unknown method 'saliency'/);
    expect(() => parseMethodSpec('lrp:epsilon:x')).toThrow(/more than one ':'/);
  });

  it('withInputShift: the shifted model on x - 1 equals the original on x, the bias comes back; padded first layers are refused', async () => {
    const net = tinyNet();
    const xt = tf.tensor(x.subarray(0, 128), [2, 8, 8, 1]);
    const bias = Array.from((net.at(0) as Conv2d).bias!.dataSync());
    const plain = (net.call(xt) as tf.Tensor).arraySync() as number[][];
    const shifted = await withInputShift(net, -1, () => tf.tidy(() => (net.call(tf.sub(xt, 1)) as tf.Tensor).arraySync() as number[][]));
    shifted.flat().forEach((v, i) => expect(v).toBeCloseTo(plain.flat()[i]!, 4));
    expect(Array.from((net.at(0) as Conv2d).bias!.dataSync())).toEqual(bias);
    const padded = new Sequential(new Conv2d(1, 2, 3, { padding: 1 }));
    await expect(withInputShift(padded, -1, () => 0)).rejects.toThrow(ExplainModelError);
    tf.dispose(xt);
    net.dispose();
    padded.dispose();
  });
});
