import type * as tf from '@tensorflow/tfjs-core';
import { attributionMethods, compositeNames, explain, type ExplainOptions } from '@logitlab/explain';
import type { Module } from '@logitlab/layers';
import { onSyncReadableBackend } from '@logitlab/backends';

/**
 * The one place the pages ask "why this output?": @logitlab/explain on any Module (LRP composites
 * through layer hooks, the gradient family, Grad-CAM, occlusion), with conservation reported.
 */
/** Options a page gives the methods that need one with no default, and a note for the menu. */
export type Supplied = Readonly<Record<string, { options: Partial<ExplainOptions>; note: string }>>;

/** What the zoo's pages supply (the convnet's last conv, 4 x 4 windows). */
export const ZOO_SUPPLIED: Supplied = {
  // each conv2 cell on its receptive field's centre: stretched bilinearly, the 8 x 8 map lands up to 5
  // pixels off (the border unpadded convolutions lose is spread over the whole input)
  gradCam: { options: { layer: 'conv2', upsample: 'receptiveField' }, note: 'conv2' },
  occlusion: { options: { window: [4, 4], stride: [4, 4] }, note: '4 x 4 patches' },
};

/** The registered methods a page can run: every option has a default or is supplied. */
export function runnableMethods(supplied: Supplied): string[] {
  return attributionMethods()
    .filter((m) => supplied[m.name] || m.options.every((o) => o.default !== undefined))
    .map((m) => m.name);
}

/** Each method's menu label, with what the page supplied to it. */
export function methodLabels(supplied: Supplied): Record<string, string> {
  return Object.fromEntries(
    attributionMethods().map((m) => [m.name, supplied[m.name] ? `${m.label} (${supplied[m.name]!.note})` : m.label]),
  );
}

const METHODS: readonly string[] = runnableMethods(ZOO_SUPPLIED);
export type Method = string;

export const METHOD_LABELS: Readonly<Record<string, string>> = methodLabels(ZOO_SUPPLIED);

/** Methods to set beside LRP on a model without convolutions: the ones that need nothing supplied, LRP itself excepted. */
export const COMPARE_METHODS: readonly string[] = METHODS.filter((m) => m !== 'lrp' && !ZOO_SUPPLIED[m]);

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

/**
 * Relevance of each input value for output `target`, with its conservation report. `supplied` is
 * what the page gives the methods that need it (an imported model's own last convolution).
 */
export async function explainOutput(
  model: Module,
  x: tf.Tensor,
  req: ExplainRequest,
  supplied: Supplied = ZOO_SUPPLIED,
): Promise<ExplainedOutput> {
  // explain() reads its conservation report synchronously, which webgpu cannot do reliably.
  const { value, backend } = await onSyncReadableBackend(
    () =>
      explain(model, x, {
        method: req.method,
        target: req.target,
        composite: (req.composite ?? DEFAULT_COMPOSITE) as (typeof compositeNames)[number],
        ...(req.bounds ? { bounds: req.bounds } : {}),
        ...(req.baseline === undefined ? {} : { baseline: req.baseline }),
        ...supplied[req.method]?.options,
      }),
    // x too: it was made on the page's backend and must move across without a synchronous read.
    { keep: [x, ...model.parameters(), ...model.namedBuffers().map(([, b]) => b)] },
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
