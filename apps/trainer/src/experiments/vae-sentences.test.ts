import { describe, expect, it } from 'vitest';
import { flatImageDistance, knnAccuracy, nearestDistance } from './sample-measures';
import { type SampleScore, clusterSentence, samplesSentence } from './vae-sentences';

const run = (tag: string, model: 'autoencoder' | 'vae', beta: number | null, rec: number, dist: number, knn: number): SampleScore => ({ tag, model, beta, reconstructionLoss: rec, sampleDistance: dist, knnAccuracy: knn });

describe('VAE report measures', () => {
  it('a real digit is at distance 0 from itself; flat grey is not', () => {
    const ref = Float32Array.from([1, -1, 1, -1, -1, 1, -1, 1]);
    expect(nearestDistance(ref.subarray(0, 4), ref, 4)).toBe(0);
    expect(flatImageDistance(ref, 4)).toBe(1);
  });

  it('k-NN accuracy is 1 for separated clusters and about chance for none', () => {
    const codes = Float32Array.from([0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1]);
    expect(knnAccuracy(codes, [0, 0, 0, 1, 1, 1], 2, 2)).toBe(1);
  });
});

describe('VAE report sentences say only what the numbers say', () => {
  it('does not call samples digit-like when they are no closer to a digit than flat grey (the grey-noise case)', () => {
    const runs = [run('autoencoder', 'autoencoder', null, 20, 0.9, 0.8), run('vae-beta0.5', 'vae', 0.5, 30, 0.5, 0.7), run('vae-beta5', 'vae', 5, 60, 0.45, 0.6)];
    const s = samplesSentence(runs, 0.4);
    expect(s).toContain('not digit-like');
    expect(s).not.toMatch(/closer to a real digit than flat grey is, i\.e\. digit-like/);
    expect(s).toMatch(/reconstructs best \(20/);
  });

  it('calls them digit-like, and "more so for larger beta", only when the distances say so', () => {
    const good = [run('vae-beta0.5', 'vae', 0.5, 30, 0.3, 0.7), run('vae-beta5', 'vae', 5, 60, 0.2, 0.6)];
    expect(samplesSentence(good, 0.4)).toContain('digit-like by this measure, more so for larger beta');
    const reversed = [run('vae-beta0.5', 'vae', 0.5, 30, 0.2, 0.7), run('vae-beta5', 'vae', 5, 60, 0.3, 0.6)];
    expect(samplesSentence(reversed, 0.4)).not.toContain('more so');
  });

  it('claims clustering and a separation cost only from the k-NN accuracies', () => {
    expect(clusterSentence([run('ae', 'autoencoder', null, 1, 1, 0.9), run('v', 'vae', 1, 1, 1, 0.8)])).toMatch(/cluster in every model.*separates them less/);
    expect(clusterSentence([run('ae', 'autoencoder', null, 1, 1, 0.2), run('v', 'vae', 1, 1, 1, 0.3)])).toMatch(/do not cluster clearly.*did not cost separation/);
  });
});
