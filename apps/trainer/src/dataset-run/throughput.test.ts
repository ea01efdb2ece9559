import { describe, expect, it } from 'vitest';
import { datasetThroughput, formatThroughput } from './throughput';

describe('datasetThroughput', () => {
  it('rates per method and per part (the maps, each metric family) from explainDataset timings', () => {
    // 10 images, 2 methods; seconds chosen so every rate is a round number
    const t = datasetThroughput(
      {
        explain: { gradient: 1, integratedGradients: 4 },
        metrics: {
          gradient: { pixelFlipping: 1, regionPerturbation: 2, maxSensitivity: 1, sparseness: 0 },
          integratedGradients: { pixelFlipping: 1, regionPerturbation: 1, maxSensitivity: 9, sparseness: 0 },
        },
      },
      10,
      20,
    );
    expect(t.total).toBe(1);
    expect(t.perMethod).toEqual({ gradient: 2, integratedGradients: 2 / 3 });
    expect(t.perPart).toEqual({ explain: 4, faithfulness: 4, robustness: 2, complexity: Infinity });
    // the parts add up to the run: 1 / total = sum of 1 / part when nothing else took time
    expect(1 / t.perPart.explain! + 1 / t.perPart.faithfulness! + 1 / t.perPart.robustness!).toBeCloseTo(1 / t.total);
    expect(formatThroughput(t)).toBe(
      'per part (images x methods/s if it ran alone): explain 4.00, faithfulness 4.00, robustness 2.00, complexity Infinity; ' +
        'per method (images/s): gradient 2.00, integratedGradients 0.67',
    );
  });
});
