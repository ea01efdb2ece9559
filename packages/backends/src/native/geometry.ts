// The integers the addon's convolution, pool and broadcasting instructions take after their slots (PLAN_OPS'
// `geom...` and `shapes...` tails), and a float field's bits: one copy for the eager kernels (kernels.ts) and the compiled step's lowering (plan/lower.ts).
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

/** binary and compare's `rank,shapes...`: the rank, then a's, b's and out's shapes right-aligned to it (a leading 1
 * broadcasts like a missing axis). Rank 0 goes as rank 1: the addon's loops then see one element either way. */
export function alignedShapes(a: readonly number[], b: readonly number[], out: readonly number[]): number[] {
  const rank = Math.max(1, a.length, b.length, out.length);
  const fields = [rank];
  for (const s of [a, b, out]) {
    for (let i = s.length; i < rank; i++) fields.push(1);
    for (const d of s) fields.push(d);
  }
  return fields;
}
