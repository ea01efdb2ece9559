import * as tf from '@tensorflow/tfjs-core';
import { explain, type CompositeName, type Conservation } from '@logitlab/explain';
import type { SumPoolExplainer } from '@logitlab/models';
import { onSyncReadableBackend } from '@logitlab/backends';
import { exclusive } from '../app';
import { EXPLAINER_RANGE } from './coding';
import { explainerFeatures } from './features';

export interface ExplainerRun {
  /** LRP's map with the chosen composite, and its conservation report. */
  lrp: Float32Array;
  conservation: Conservation;
  /** The comparison method's map, its sum and what that sum should equal (NaN: nothing). */
  compare: Float32Array;
  compareSum: number;
  compareShould: number;
  /** The layer ood.json's distance check reads. */
  features: Float32Array;
  /** The backend that computed it: not the page's on webgpu (see onSyncReadableBackend). */
  backend: string;
}

/** LRP and one comparison method on the sum-pool explainer for one input (`height` x `width`, in its coding). */
export function runExplainer(
  model: SumPoolExplainer,
  coded: Float32Array,
  shape: readonly [number, number],
  req: { composite: string; compare: string },
): Promise<ExplainerRun> {
  return exclusive(async () => {
    const { value, backend } = await onSyncReadableBackend(
      () => {
        const x = tf.tensor4d(coded, [1, shape[0], shape[1], 1]);
        const lrp = explain(model, x, { method: 'lrp', composite: req.composite as CompositeName, bounds: EXPLAINER_RANGE });
        const other = explain(model, x, { method: req.compare, baseline: EXPLAINER_RANGE[0] });
        const features = explainerFeatures(model, x);
        x.dispose();
        return { lrp, other, features };
      },
      { keep: [...model.parameters(), ...model.namedBuffers().map(([, b]) => b)] },
    );
    const [lrp, compare, features] = (await Promise.all([
      value.lrp.relevance.data(),
      value.other.relevance.data(),
      value.features.data(),
    ])) as Float32Array[];
    tf.dispose([value.lrp.relevance, value.other.relevance, value.features]);
    return {
      lrp: lrp ?? new Float32Array(),
      compare: compare ?? new Float32Array(),
      features: features ?? new Float32Array(),
      conservation: value.lrp.conservation,
      compareSum: value.other.conservation.total[0] ?? NaN,
      compareShould: value.other.conservation.output[0] ?? NaN,
      backend,
    };
  });
}
