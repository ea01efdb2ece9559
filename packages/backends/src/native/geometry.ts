// The integers the addon's convolution and pool instructions take after their slots (PLAN_OPS' `geom...` tail),
// and a float field's bits: one copy for the eager kernels (kernels.ts) and the compiled step's lowering (plan/lower.ts).
import type { backend_util } from '@tensorflow/tfjs-core';

/** [N, H, W, Ci, OH, OW, Co, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft] (NHWC). */
export function convGeom(i: backend_util.Conv2DInfo): number[] {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = i;
  return [batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth].concat([
    i.strideHeight,
    i.strideWidth,
    i.dilationHeight,
    i.dilationWidth,
    i.padInfo.top,
    i.padInfo.left,
  ]);
}

/** The conv geometry without Co: [N, H, W, C, OH, OW, KH, KW, strides, dilations, padTop, padLeft]. */
export const poolGeom = (i: backend_util.Conv2DInfo) => convGeom(i).filter((_, k) => k !== 6);

const f32Bits = new Int32Array(1);
const f32View = new Float32Array(f32Bits.buffer);
/** A float32's bits as the int field the addon reads back. */
export function floatBits(v: number): number {
  f32View[0] = v;
  return f32Bits[0]!;
}
