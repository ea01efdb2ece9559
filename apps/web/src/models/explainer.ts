import type * as tf from '@tensorflow/tfjs-core';
import { compositeNames, explain } from '@logitlab/explain';
import type { Module } from '@logitlab/layers';
import { onSyncReadableBackend } from './sync-read';

/**
 * The one place the pages ask "why this output?": @logitlab/explain on any Module (LRP composites
 * through layer hooks, the gradient family, Grad-CAM, occlusion), with conservation reported.
 */
export const METHODS = ['lrp', 'gradient', 'gradientTimesInput', 'integratedGradients', 'smoothGrad', 'gradCam', 'occlusion'] as const;
export type Method = (typeof METHODS)[number];

export const METHOD_LABELS: Record<Method, string> = {
  lrp: 'LRP',
  gradient: 'gradient ∂y/∂x',
  gradientTimesInput: 'gradient × input',
  integratedGradients: 'integrated gradients',
  smoothGrad: 'SmoothGrad',
  gradCam: 'Grad-CAM (conv2)',
  occlusion: 'occlusion (4 x 4 patches)',
};

/** LRP composites (zennit's names). */
export const COMPOSITES: readonly string[] = compositeNames;
/**
 * The one a page opens on: LRP-epsilon on a ReLU network is gradient x input (same map, same scale),
 * so it would show nothing new; epsilonPlus (z+ on convolutions) is the library's own default.
 */
export const DEFAULT_COMPOSITE = 'epsilonPlus';

export interface ExplainRequest {
  method: Method;
  /** Output index to explain. */
  target: number;
  /** Input that means "no evidence" (integrated gradients' baseline, occlusion's fill), in the model's coding. */
  baseline?: number;
  composite?: string;
  /** The input's range in the model's coding (LRP's zB box). */
  bounds?: readonly [number, number];
}

export interface ExplainedOutput {
  /** Relevance of each input value (same length as x). */
  relevance: Float32Array;
  /** Its sum, and what the method says the sum should equal (f(x), or f(x) - f(baseline) for integrated gradients). */
  total: number;
  should: number;
  /** The backend that computed it: not the page's on webgpu (see onSyncReadableBackend), which the page must say. */
  backend: string;
}

/** Relevance of each input value for output `target`, with its conservation report. */
export async function explainOutput(model: Module, x: tf.Tensor, req: ExplainRequest): Promise<ExplainedOutput> {
  // explain() reads its conservation report synchronously, which webgpu cannot do reliably.
  const { value, backend } = await onSyncReadableBackend(
    () =>
      explain(model, x, {
        method: req.method,
        target: req.target,
        composite: (req.composite ?? DEFAULT_COMPOSITE) as (typeof compositeNames)[number],
        ...(req.bounds ? { bounds: req.bounds } : {}),
        ...(req.baseline === undefined ? {} : { baseline: req.baseline }),
        // each conv2 cell on its receptive field's centre: stretched bilinearly, the 8 x 8 map lands
        // up to 5 pixels off (the border unpadded convolutions lose is spread over the whole input)
        ...(req.method === 'gradCam' ? { layer: 'conv2', upsample: 'receptiveField' as const } : {}),
        ...(req.method === 'occlusion' ? { window: [4, 4] as [number, number], stride: [4, 4] as [number, number] } : {}),
      }),
    // x too: it was made on the page's backend and must move across without a synchronous read.
    [x, ...model.parameters(), ...model.namedBuffers().map(([, b]) => b)],
  );
  try {
    return {
      relevance: (await value.relevance.data()) as Float32Array,
      total: value.conservation.total[0] ?? Number.NaN,
      should: value.conservation.output[0] ?? Number.NaN,
      backend,
    };
  } finally {
    value.relevance.dispose();
  }
}
