import { fmt } from '../report';

export interface SampleScore {
  tag: string;
  model: 'autoencoder' | 'vae';
  beta: number | null;
  reconstructionLoss: number;
  /** Share of its prior samples closer to a held-out digit than to a flat grey image. */
  digitLikeShare: number;
  /** Leave-one-out 5-NN digit accuracy of its latent means. */
  knnAccuracy: number;
}

const ordered = (xs: number[], dir: 1 | -1) => xs.every((x, i) => i === 0 || dir * (x - xs[i - 1]!) >= 0);

/** The sentence about reconstruction and samples, from the numbers: "digit-like" only when most samples are closer to a digit than to flat grey. */
export function samplesSentence(runs: SampleScore[]): string {
  const ae = runs.find((r) => r.model === 'autoencoder');
  const vaes = runs.filter((r) => r.model === 'vae');
  const parts: string[] = [];
  if (ae) {
    const bestRec = Math.min(...runs.map((r) => r.reconstructionLoss));
    parts.push(
      `The autoencoder, with no KL term, ${ae.reconstructionLoss <= bestRec ? 'reconstructs best' : 'does not reconstruct best here'} (${fmt(ae.reconstructionLoss, 1)}), but nothing makes its codes look like N(0, I).`,
    );
  }
  const list = runs.map((r) => `${r.tag} ${fmt(r.digitLikeShare * 100, 0)}%`).join(', ');
  parts.push(
    `Share of 10 decoded prior samples that are closer to a held-out digit than to a flat grey image of the digits' mean intensity: ${list}.`,
  );
  const like = vaes.filter((r) => r.digitLikeShare >= 0.5);
  if (vaes.length) {
    if (like.length === vaes.length) {
      const trend =
        ordered(
          vaes.map((r) => r.digitLikeShare),
          1,
        ) && vaes.at(-1)!.digitLikeShare > vaes[0]!.digitLikeShare
          ? ', more so for larger beta'
          : '';
      parts.push(`Every VAE's samples are mostly digit-like by this measure${trend}.`);
    } else if (like.length === 0) {
      parts.push(
        `No VAE's samples are mostly digit-like by this measure: they are closer to grey than to a digit (more epochs or real data would be needed).`,
      );
    } else {
      parts.push(`Only ${like.map((r) => r.tag).join(', ')} produce mostly digit-like samples.`);
    }
  }
  if (ae && vaes.length) {
    parts.push(
      ae.digitLikeShare < Math.min(...vaes.map((r) => r.digitLikeShare))
        ? "The autoencoder's prior samples are the least digit-like: it is no generator."
        : "The autoencoder's prior samples are not the least digit-like here.",
    );
  }
  return parts.join(' ');
}

/** The sentence about the latent maps, from 5-NN accuracy of the latent means (chance 0.1). */
export function clusterSentence(runs: SampleScore[]): string {
  const list = runs.map((r) => `${r.tag} ${fmt(r.knnAccuracy, 3)}`).join(', ');
  const clustered = runs.filter((r) => r.knnAccuracy > 0.5);
  const ae = runs.find((r) => r.model === 'autoencoder');
  const vaes = runs.filter((r) => r.model === 'vae');
  const cluster =
    clustered.length === runs.length
      ? "digits cluster in every model's latent space"
      : clustered.length === 0
        ? "digits do not cluster clearly in any model's latent space"
        : `digits cluster clearly only for ${clustered.map((r) => r.tag).join(', ')}`;
  const trade =
    ae && vaes.length
      ? vaes.every((r) => r.knnAccuracy < ae.knnAccuracy)
        ? '; every VAE separates them less than the autoencoder, the price of a smooth code near the prior'
        : '; the KL term did not cost separation here'
      : '';
  return `5-nearest-neighbour digit accuracy of the latent means (chance 0.1): ${list}: ${cluster}${trade}.`;
}
