// Filter gradient of conv2d for wasm (tfjs-backend-wasm 4.22.0 ships none, so tf.grad of conv2d throws).
//
// dW[kh,kw,ci,co] = sum_{b,oh,ow} xPad[b, oh*s+kh, ow*s+kw, ci] * dy[b,oh,ow,co]
// is itself a convolution: take xT = x transposed to [Ci,H,W,B] (batch Ci, channels B) and
// dyT = dy transposed to [OH,OW,B,Co] as the filter; conv2d(xT, dyT, stride 1, dilation = forward stride,
// the forward's padding) is [Ci,KH',KW',Co] with KH' >= KH. Sliced to KH x KW and transposed back,
// it is dW, computed by one XNNPACK convolution instead of a scalar loop.
import { backend_util } from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { free, run } from './kernel-util';
import type { KernelArgs } from './kernel-util';
import { LogitlabError } from '@logitlab/core';

export class UnsupportedDataFormatError extends LogitlabError {
  override name = 'UnsupportedDataFormatError';
  constructor(kernelName: string, dataFormat: unknown) {
    super(
      `wasm ${kernelName}: data format ${JSON.stringify(dataFormat)} is not supported; expected 'NHWC' (the only layout wasm's Conv2D runs).`,
    );
  }
}

export function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  const format = backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') throw new UnsupportedDataFormatError('Conv2DBackpropFilter', dataFormat);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    format,
  );
  const { top, bottom, left, right } = info.padInfo;
  const [kh, kw, ci, co] = filterShape;

  const xT = run('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
  const dyT = run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  let r = run(
    'Conv2D',
    backend,
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      dilations: [info.strideHeight, info.strideWidth],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
  free(backend, xT, dyT);
  if (r.shape[1] !== kh || r.shape[2] !== kw) {
    const sliced = run('Slice', backend, { x: r }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
    free(backend, r);
    r = sliced;
  }
  const dw = run('Transpose', backend, { x: r }, { perm: [1, 2, 0, 3] });
  free(backend, r);
  return dw;
}
