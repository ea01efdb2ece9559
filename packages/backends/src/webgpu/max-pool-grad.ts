// MaxPoolGrad for webgpu, routing each window's gradient as cpu (and PyTorch) do: to the window's FIRST
// maximum, never to NaN, nowhere for a window of -Infinity only. tfjs-webgpu 4.22's positions shader
// keeps the LAST maximum (`value >= max`) and compares against mix(value, max, 1), which is NaN for
// infinite values (Inf * 0), so +Infinity never wins and a -Infinity window routes to its first element.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { poolInfoOf } from '../pool-info';
import { flatProgram } from './program';
import type { WebgpuBackendLike } from './program';

// the in-window offset (wR * filterWidth + wC) of each window's first maximum, or -1
const positionsCode = `
fn main(index : i32) {
  if (index < uniforms.size) {
    let coords = getCoordsFromIndex(index);
    let r0 = coords[1] * uniforms.strides.x - uniforms.pads.x;
    let c0 = coords[2] * uniforms.strides.y - uniforms.pads.y;
    var maxValue = uniforms.negInf; // a uniform: WGSL rejects an infinite constant
    var maxPosition = -1;
    for (var wR = 0; wR < uniforms.filterDims.x; wR++) {
      let r = r0 + wR;
      if (r < 0 || r >= uniforms.inDims.x) { continue; }
      for (var wC = 0; wC < uniforms.filterDims.y; wC++) {
        let c = c0 + wC;
        if (c < 0 || c >= uniforms.inDims.y) { continue; }
        let value = getX(coords[0], r, c, coords[3]);
        if (value > maxValue) {
          maxValue = value;
          maxPosition = wR * uniforms.filterDims.y + wC;
        }
      }
    }
    setOutputAtIndexI32(index, maxPosition);
  }
}`;

// dx[b, r, c, d]: the sum of dy over the windows whose maximum sits at (r, c)
const backpropCode = `
fn main(index : i32) {
  if (index < uniforms.size) {
    let coords = getCoordsFromIndex(index);
    var sum = 0.0;
    for (var wR = 0; wR < uniforms.filterDims.x; wR++) {
      let rs = coords[1] + uniforms.pads.x - wR;
      if (rs < 0 || rs % uniforms.strides.x != 0) { continue; }
      let oR = rs / uniforms.strides.x;
      if (oR >= uniforms.outDims.x) { continue; }
      for (var wC = 0; wC < uniforms.filterDims.y; wC++) {
        let cs = coords[2] + uniforms.pads.y - wC;
        if (cs < 0 || cs % uniforms.strides.y != 0) { continue; }
        let oC = cs / uniforms.strides.y;
        if (oC >= uniforms.outDims.y) { continue; }
        if (i32(getPositions(coords[0], oR, oC, coords[3])) == wR * uniforms.filterDims.y + wC) {
          sum += getDy(coords[0], oR, oC, coords[3]);
        }
      }
    }
    setOutputAtIndex(index, sum);
  }
}`;

const UNIFORMS = 'strides : vec2<i32>, pads : vec2<i32>, filterDims : vec2<i32>, inDims : vec2<i32>, outDims : vec2<i32>, negInf : f32,';

export const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const webgpu = backend as WebgpuBackendLike;
  const info = poolInfoOf(input, attrs);
  const uniforms = [
    { type: 'int32' as const, data: [info.strideHeight, info.strideWidth] },
    { type: 'int32' as const, data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32' as const, data: [info.filterHeight, info.filterWidth] },
    { type: 'int32' as const, data: [info.inHeight, info.inWidth] },
    { type: 'int32' as const, data: [info.outHeight, info.outWidth] },
    { type: 'float32' as const, data: [Number.NEGATIVE_INFINITY] },
  ];
  const positionsProgram = flatProgram(info.outShape, {
    variableNames: ['x'],
    uniforms: UNIFORMS,
    shaderKey: 'logitlabMaxPoolFirstPositions',
    getUserCode: () => positionsCode,
  });
  const positions = webgpu.runWebGPUProgram(positionsProgram, [input], 'int32', uniforms);
  const backprop = flatProgram(info.inShape, {
    variableNames: ['dy', 'positions'],
    uniforms: UNIFORMS,
    shaderKey: 'logitlabMaxPoolFirstBackprop',
    getUserCode: () => backpropCode,
  });
  const dx = webgpu.runWebGPUProgram(backprop, [dy, positions], input.dtype, uniforms);
  webgpu.disposeData(positions.dataId);
  return dx;
};
