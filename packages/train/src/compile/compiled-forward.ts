import * as tf from '@tensorflow/tfjs-core';
import { firstFailedCheck } from '@logitlab/core';
import type { Module } from '@logitlab/layers';
import { type CompiledForwardStats, type ForwardCompileOptions, ForwardPlans } from './forward-plans';

export type { CompiledForwardStats } from './forward-plans';

export interface CompileForwardOptions<M extends Module> extends ForwardCompileOptions {
  /** How an input batch becomes output; default `model.call(x)`. Replays skip its JavaScript: keep it tensor-only. */
  forward?: (model: M, x: tf.Tensor) => tf.Tensor;
}

/**
 * A model's forward for inference, recorded once per input shape and dtype and replayed without tfjs's
 * engine after that (`torch.compile` for a forward). The model's mode is its own: call `model.eval()`
 * first for predictions, as in PyTorch. Guards: the backend, the input's shape and dtype, the model's
 * mode and parameter set; another key traces another plan (a smaller last batch), at most `maxPlans`
 * kept. A forward the tracer cannot record runs eagerly, and says why once. Values and parameters are
 * read at every call, so training between calls needs no re-trace.
 */
export class CompiledForward<M extends Module> {
  private readonly plans: ForwardPlans;
  private readonly forward: (model: M, x: tf.Tensor) => tf.Tensor;

  constructor(
    private readonly model: M,
    options: CompileForwardOptions<M> = {},
  ) {
    this.plans = new ForwardPlans(model, 'compiled forward', options);
    this.forward = options.forward ?? ((m, x) => m.call(x));
  }

  get stats(): Readonly<CompiledForwardStats> {
    return this.plans.stats;
  }

  /** The model's output for `x`, as `forward(model, x)` gives it eagerly; the caller owns it (and `x`). */
  call(x: tf.Tensor): tf.Tensor {
    const { outputs, checks } = this.plans.run([x], () => [this.forward(this.model, x)]);
    const out = outputs[0] as tf.Tensor;
    if (checks.length === 0) return out;
    // a deferred data check inside the forward: read at once, as an eager forward would have checked
    const values = checks.flatMap((c) => Array.from(c.values.dataSync()));
    tf.dispose(checks.map((c) => c.values));
    const failed = firstFailedCheck(checks, values);
    if (failed) {
      out.dispose();
      throw failed;
    }
    return out;
  }

  /** Frees every plan; the model is the caller's. */
  dispose(): void {
    this.plans.dispose();
  }
}

/** `model.call`, compiled for inference: see CompiledForward. */
export function compileForward<M extends Module>(model: M, options?: CompileForwardOptions<M>): CompiledForward<M> {
  return new CompiledForward(model, options);
}
