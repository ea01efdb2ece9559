import { smoothGrad as run, smoothGradAsync as runAsync } from '../smooth-grad';
import type { AttributionMethod } from './method';

export const smoothGrad: AttributionMethod<{ n?: number; sigma?: number; seed?: number; signal?: AbortSignal }> = {
  name: 'smoothGrad',
  label: 'SmoothGrad',
  summary: 'the mean gradient over n noisy copies of x (noise: `normalNoise(n * x.size, seed)`)',
  options: [
    { name: 'n', default: '16', meaning: 'noisy copies' },
    { name: 'sigma', default: "0.15 of x's range", meaning: 'noise standard deviation' },
    { name: 'seed', default: '0', meaning: 'noise seed' },
  ],
  conserves: 'none',
  attribute: (session, x, { n, sigma, seed, signal }) => run(session, x, { n, sigma, seed, signal }),
  attributeAsync: (session, x, { n, sigma, seed, signal }) => runAsync(session, x, { n, sigma, seed, signal }),
};
