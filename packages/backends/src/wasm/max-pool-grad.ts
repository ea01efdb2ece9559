// MaxPoolGrad for wasm. The stock 4.22.0 kernel drops the gradient of every window whose maximum is
// negative (it starts its running max at 0, it seems): in the seed convnet maxPool follows a conv with
// no relu in between, so a quarter of the gradient went missing. This one routes dy to the first
// maximum of each window (ignoring padding), exactly like the cpu backend. A plain loop over the wasm
// heap: it touches each input once per window, far below a conv's cost.
import { backend_util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';

export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const dy = inputs.dy!;
  const input = inputs.input!;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
    filterSize: [number, number] | number; strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding; dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const c = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const out = backend.makeOutput([...input.shape], 'float32');
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const xv = backend.typedArrayFromHeap(input);
  const dyv = backend.typedArrayFromHeap(dy);
  const { batchSize, inHeight, inWidth, outHeight, outWidth, inChannels: ch } = c;
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
