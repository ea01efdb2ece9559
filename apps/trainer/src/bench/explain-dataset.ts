import { DataLoader, normalizePixels, syntheticDigits } from '@logitlab/datasets';
import { explainDataset, parseMethodSpec } from '@logitlab/explain';
import { manualSeed } from '@logitlab/layers';
import { MnistConvNet } from '@logitlab/models';
import { datasetThroughput } from '../dataset-run/throughput';

export interface ExplainDatasetBenchRow {
  backend: string;
  images: number;
  methods: string[];
  metrics: string;
  seconds: number;
  imagesPerSec: number;
  /** images x methods per second: the throughput of `logitlab explain --dataset`, every metric family included. */
  imageMethodsPerSec: number;
  /** images per second of each method with all its metrics. */
  perMethod: Record<string, number>;
  /** images x methods per second of the maps alone ('explain') and of each metric family alone: the smallest is the bottleneck. */
  perPart: Record<string, number>;
}

/**
 * `explainDataset` end to end on the current backend: an untrained convnet (the cost does not depend
 * on the weights) over synthetic digits, each method scored by every metric family, as the CLI runs it.
 */
export async function measureExplainDataset(
  backend: string,
  { images = 64, batchSize = 32, methods = ['lrp:epsilonPlus', 'gradient', 'integratedGradients'] } = {},
): Promise<ExplainDatasetBenchRow> {
  manualSeed(0);
  const model = new MnistConvNet({ head: 'logSoftmax' });
  const set = syntheticDigits({ count: images, seed: 2 });
  const loader = new DataLoader({ x: normalizePixels(set.images), xShape: [28, 28, 1], y: set.labels, yShape: [] }, { batchSize });
  const masks = Float32Array.from(set.images, (v) => (v > 0.5 ? 1 : 0));
  try {
    const specs = methods.map(parseMethodSpec).map((s) => (s.method === 'lrp' ? { ...s, options: { bounds: [-0.5, 3] as const } } : s));
    const r = await explainDataset(model, loader, { methods: specs, metrics: 'all', masks, sink: () => {} });
    const { perMethod, perPart } = datasetThroughput(r.timings, r.images, r.seconds);
    return {
      backend,
      images,
      methods,
      metrics: 'all',
      seconds: r.seconds,
      imagesPerSec: r.images / r.seconds,
      imageMethodsPerSec: (r.images * methods.length) / r.seconds,
      perMethod,
      perPart,
    };
  } finally {
    model.dispose();
  }
}
