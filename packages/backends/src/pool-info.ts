// The one reading of a MaxPoolGrad's attributes into tfjs's pool geometry, shared by the replacement
// kernels of every backend (wasm, webgl, webgpu), which differ only in how they walk the windows.
import { backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The pool's geometry (window, strides, padding, output size) for an NHWC `input`. */
export function poolInfoOf(input: TensorInfo, attrs: NamedAttrMap | undefined): backend_util.Conv2DInfo {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as PoolAttrs;
  return backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
}
