import { describe, expect, it } from 'vitest';
import { type SampleScore, clusterSentence, samplesSentence } from './vae-sentences';

const run = (tag: string, model: 'autoencoder' | 'vae', beta: number | null, rec: number, share: number, knn: number): SampleScore => ({
  tag,
  model,
  beta,
  reconstructionLoss: rec,
  digitLikeShare: share,
  knnAccuracy: knn,
});

describe('VAE report sentences say only what the numbers say', () => {
  it('does not call grey-noise samples digit-like', () => {
    const runs = [
      run('autoencoder', 'autoencoder', null, 20, 0, 0.8),
      run('vae-beta0.5', 'vae', 0.5, 30, 0.1, 0.7),
      run('vae-beta5', 'vae', 5, 60, 0.2, 0.6),
    ];
    const s = samplesSentence(runs);
    expect(s).toContain("No VAE's samples are mostly digit-like");
    expect(s).not.toContain("Every VAE's samples are mostly digit-like");
    expect(s).toMatch(/reconstructs best \(20/);
  });

  it('calls them digit-like, and "more so for larger beta", only when the shares say so', () => {
    expect(samplesSentence([run('vae-beta0.5', 'vae', 0.5, 30, 0.6, 0.7), run('vae-beta5', 'vae', 5, 60, 0.9, 0.6)])).toContain(
      'mostly digit-like by this measure, more so for larger beta',
    );
    expect(samplesSentence([run('vae-beta0.5', 'vae', 0.5, 30, 0.9, 0.7), run('vae-beta5', 'vae', 5, 60, 0.6, 0.6)])).not.toContain(
      'more so',
    );
  });

  it('claims clustering and a separation cost only from the k-NN accuracies', () => {
    expect(clusterSentence([run('ae', 'autoencoder', null, 1, 1, 0.9), run('v', 'vae', 1, 1, 1, 0.8)])).toMatch(
      /cluster in every model.*separates them less/,
    );
    expect(clusterSentence([run('ae', 'autoencoder', null, 1, 1, 0.2), run('v', 'vae', 1, 1, 1, 0.3)])).toMatch(
      /do not cluster clearly.*did not cost separation/,
    );
  });
});
