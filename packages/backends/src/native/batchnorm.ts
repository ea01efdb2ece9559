// FusedBatchNorm for the native backend. cpu's kernel advances four modular counters per element (0.55 ms
// of bn-mlp's 784-wide layer per call); with every parameter either one value or one per channel (the
// last axis), a per-channel multiplier computed once gives the same doubles-then-float32 result up to the
// last bit of a double. Other parameter lengths (cpu's cyclic broadcasting) go to the cpu kernel.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type Args, type Fallback, type Kernel, NOT_NATIVE, f32, output, withFallback } from './kernel-util';
import { inputDtypes, oneOpRunner } from './run-op';
import type { NativeAddon } from './types';

// a parameter's value for channel ch: one value for all, one per channel, or `none` when absent
const at = (p: Float32Array | null, ch: number, none: number) => (p ? p[p.length === 1 ? 0 : ch]! : none);

export function batchNormKernel(addon: NativeAddon, fallback: Fallback): Kernel {
  const run = oneOpRunner(addon);
  return withFallback(
    fallback,
    'FusedBatchNorm',
    ({ inputs, backend, attrs }: Args): TensorInfo => {
      const { x, mean, variance, scale, offset } = inputs;
      if (!x || !mean || !variance || mean.shape.length !== variance.shape.length) throw NOT_NATIVE; // cpu asserts
      if ((scale && scale.shape.length !== mean.shape.length) || (offset && offset.shape.length !== mean.shape.length)) throw NOT_NATIVE;
      const eps = (attrs as { varianceEpsilon?: number } | undefined)?.varianceEpsilon ?? 0.001;
      const xv = f32(backend, x);
      const c = x.shape.at(-1) ?? 1;
      const m = f32(backend, mean);
      const v = f32(backend, variance);
      const s = scale ? f32(backend, scale) : null;
      const o = offset ? f32(backend, offset) : null;
      if (c === 0 || xv.length % c !== 0 || [m, v, s, o].some((p) => p && p.length !== 1 && p.length !== c)) throw NOT_NATIVE;
      const mul = new Float64Array(c);
      const sub = new Float64Array(c);
      const add = new Float64Array(c);
      for (let ch = 0; ch < c; ch++) {
        mul[ch] = at(s, ch, 1) / Math.sqrt(at(v, ch, 0) + eps);
        sub[ch] = at(m, ch, 0);
        add[ch] = at(o, ch, 0);
      }
      return output(backend, [...x.shape], (out) => run('batchNorm', [0, 1, 2, 3, 4, xv.length / c, c], [xv, out, mul, sub, add]));
    },
    inputDtypes(addon).batchNorm,
  );
}
