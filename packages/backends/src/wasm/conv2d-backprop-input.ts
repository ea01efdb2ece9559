// Input gradient of a stride-1 conv2d as ONE forward convolution (XNNPACK), ~10x faster than wasm's
// own Conv2DBackpropInput loop on the seed convnet:
//   dx = conv2d(dy, W rotated 180 degrees and transposed to [KH,KW,Co,Ci], stride 1,
//               pads [KH-1-top, H-OH+top] x [KW-1-left, W-OW+left]).
// Anything else (strides > 1, paddings that would go negative, NCHW) goes to the stock kernel.
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { free, run } from './kernel-util';
import type { WasmBackendLike } from './kernel-util';
import type { KernelArgs } from './kernel-util';

export function makeConv2dBackpropInput(stock: KernelFunc) {
  return function conv2dBackpropInput(args: KernelArgs): TensorInfo {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy!;
    const filter = inputs.filter!;
    const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as {
      inputShape: [number, number, number, number];
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    const format = backend_util.convertConv2DDataFormat(dataFormat);
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      format,
    );
    const [kh, kw] = filter.shape as [number, number];
    const [, h, w] = inputShape;
    const [, oh, ow] = dy.shape as [number, number, number];
    const { top, left } = info.padInfo;
    const pads = [kh - 1 - top, h - oh + top, kw - 1 - left, w - ow + left];
    if (
      format !== 'channelsLast' ||
      info.strideHeight !== 1 ||
      info.strideWidth !== 1 ||
      pads.some((p) => p < 0) ||
      dy.dtype !== 'float32'
    ) {
      return stock(args as never) as TensorInfo;
    }
    const wT = rotateAndSwapChannels(backend, filter);
    const dx = run(
      'Conv2D',
      backend,
      { x: dy, filter: wT },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [
          [0, 0],
          [pads[0], pads[1]],
          [pads[2], pads[3]],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    );
    free(backend, wT);
    return dx;
  };
}

/**
 * W[kh, kw, ci, co] -> W'[KH-1-kh, KW-1-kw, co, ci] in one pass over the (small) filter: the stock
 * Reverse + Transpose pair cost ~0.25 ms per call on the seed convnet, mostly per-kernel overhead.
 */
function rotateAndSwapChannels(backend: WasmBackendLike, filter: TensorInfo): TensorInfo {
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([kh, kw, co, ci], 'float32');
  const src = backend.typedArrayFromHeap(filter);
  const dst = backend.typedArrayFromHeap(out);
  for (let h = 0; h < kh; h++) {
    for (let w = 0; w < kw; w++) {
      const from = (h * kw + w) * ci * co;
      const to = ((kh - 1 - h) * kw + (kw - 1 - w)) * co * ci;
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) dst[to + o * ci + i] = src[from + i * co + o]!;
      }
    }
  }
  return out;
}
