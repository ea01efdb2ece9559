// Depthwise-conv gradients for wasm (4.22.0 ships neither). Plain loops over the wasm heap: depthwise
// convs are not in the seed models' hot path, so correctness and no extra copies beat cleverness.
import { backend_util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';
import { UnsupportedDataFormatError } from './conv2d-backprop-filter';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];

function depthwiseInfo(xShape: Shape4, filterShape: Shape4, attrs: Record<string, unknown>) {
  const { strides, dilations, pad, dimRoundingMode, dataFormat } = attrs as {
    strides: [number, number] | number;
    dilations: [number, number] | number;
    pad: Pad;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    dataFormat?: 'NHWC' | 'NCHW';
  };
  if (dataFormat != null && dataFormat !== 'NHWC') throw new UnsupportedDataFormatError('depthwise backprop', dataFormat);
  return backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, dimRoundingMode, true);
}

export function depthwiseConv2dNativeBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const filterShape = attrs.filterShape as Shape4;
  const c = depthwiseInfo(x.shape as Shape4, filterShape, attrs as Record<string, unknown>);
  const out = backend.makeOutput([...filterShape], 'float32');
  const dw = backend.typedArrayFromHeap(out);
  dw.fill(0);
  const xv = backend.typedArrayFromHeap(x);
  const dyv = backend.typedArrayFromHeap(dy);
  const [, xh, xw, inC] = x.shape as Shape4;
  const m = c.outChannels / c.inChannels;
  for (let b = 0; b < c.batchSize; b++) {
    for (let oh = 0; oh < c.outHeight; oh++) {
      for (let ow = 0; ow < c.outWidth; ow++) {
        const dyBase = ((b * c.outHeight + oh) * c.outWidth + ow) * c.outChannels;
        for (let fh = 0; fh < c.filterHeight; fh++) {
          const ih = oh * c.strideHeight - c.padInfo.top + fh * c.dilationHeight;
          if (ih < 0 || ih >= xh) continue;
          for (let fw = 0; fw < c.filterWidth; fw++) {
            const iw = ow * c.strideWidth - c.padInfo.left + fw * c.dilationWidth;
            if (iw < 0 || iw >= xw) continue;
            const xBase = ((b * xh + ih) * xw + iw) * inC;
            const wBase = (fh * c.filterWidth + fw) * c.outChannels;
            for (let d = 0; d < c.outChannels; d++) dw[wBase + d]! += xv[xBase + Math.floor(d / m)]! * dyv[dyBase + d]!;
          }
        }
      }
    }
  }
  return out;
}

export function depthwiseConv2dNativeBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const dy = inputs.dy!;
  const filter = inputs.filter!;
  const inputShape = attrs.inputShape as Shape4;
  const c = depthwiseInfo(inputShape, filter.shape as Shape4, attrs as Record<string, unknown>);
  const out = backend.makeOutput([...inputShape], 'float32');
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const wv = backend.typedArrayFromHeap(filter);
  const dyv = backend.typedArrayFromHeap(dy);
  const [, xh, xw, inC] = inputShape;
  const m = c.outChannels / c.inChannels;
  for (let b = 0; b < c.batchSize; b++) {
    for (let oh = 0; oh < c.outHeight; oh++) {
      for (let ow = 0; ow < c.outWidth; ow++) {
        const dyBase = ((b * c.outHeight + oh) * c.outWidth + ow) * c.outChannels;
        for (let fh = 0; fh < c.filterHeight; fh++) {
          const ih = oh * c.strideHeight - c.padInfo.top + fh * c.dilationHeight;
          if (ih < 0 || ih >= xh) continue;
          for (let fw = 0; fw < c.filterWidth; fw++) {
            const iw = ow * c.strideWidth - c.padInfo.left + fw * c.dilationWidth;
            if (iw < 0 || iw >= xw) continue;
            const xBase = ((b * xh + ih) * xw + iw) * inC;
            const wBase = (fh * c.filterWidth + fw) * c.outChannels;
            for (let d = 0; d < c.outChannels; d++) dx[xBase + Math.floor(d / m)]! += wv[wBase + d]! * dyv[dyBase + d]!;
          }
        }
      }
    }
  }
  return out;
}
