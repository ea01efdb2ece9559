import * as tf from '@tensorflow/tfjs-core';
import { type CompositeName, explain } from '@logitlab/explain';
import { manualSeed } from '@logitlab/layers';
import { crossEntropy } from '@logitlab/losses';
import { MnistConvNet } from '@logitlab/models';
import { median } from './measure';

export interface ExplainBenchRow {
  backend: string;
  batch: number;
  /** Median ms of one training-style forward + backward (gradients of the loss for every parameter). */
  forwardBackwardMs: number;
  /** Median ms of one `explain` call per LRP composite (targets: the predicted classes). */
  lrpMs: Record<string, number>;
  /** lrpMs / forwardBackwardMs (the target: <= 3). */
  ratio: Record<string, number>;
}

function timeMs(fn: () => void, repeats: number): number {
  fn(); // warm-up (kernel compilation, XNNPACK operator caches)
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Explaining a batch of convnet images with each LRP composite vs one forward + backward pass, on the current backend. */
export function measureExplain(
  backend: string,
  { batch = 64, repeats = 5, composites = ['epsilonPlus', 'epsilonGammaBox', 'deepTaylor'] as CompositeName[] } = {},
): ExplainBenchRow {
  manualSeed(0);
  const model = new MnistConvNet({ head: 'logSoftmax' });
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  );
  try {
    const forwardBackwardMs = timeMs(() => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(model.call(x), y) as tf.Scalar);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    }, repeats);
    const lrpMs: Record<string, number> = {};
    const ratio: Record<string, number> = {};
    for (const composite of composites) {
      lrpMs[composite] = timeMs(() => explain(model, x, { composite, bounds: [0, 1] }).relevance.dispose(), repeats);
      ratio[composite] = lrpMs[composite]! / forwardBackwardMs;
    }
    return { backend, batch, forwardBackwardMs, lrpMs, ratio };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}
