// MaxPoolGrad for webgl, routing each window's gradient as cpu, wasm, native, webgpu and PyTorch do: to
// the window's FIRST maximum in row-major window order, never to NaN, nowhere for a window of -Infinity
// only. tfjs-webgl 4.22's positions shader keeps the LAST maximum (`value >= max`), so on a drawing,
// whose flat background and saturated stroke tie most of conv1's 2 x 2 windows, webgl's heatmaps
// differed from wasm's by ~0.35 of max |R|.
import type { backend_util, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { poolInfoOf } from '../pool-info';
import type { WebglBackendLike, WebglProgram } from './program';

// float32's largest finite value: `v >= -FLT_MAX` is cpu's `v > -Infinity` (false for -Infinity and NaN)
// without an infinite constant, which WebGL on some drivers cannot compile
const FLT_MAX = '3.4028234663852886e38';

/** The in-window offset (wR * filterWidth + wC) of each window's first maximum, or -1. */
function positionsProgram(c: backend_util.Conv2DInfo): WebglProgram {
  return {
    variableNames: ['x'],
    outputShape: c.outShape,
    userCode: `
      void main() {
        ivec4 coords = getOutputCoords();
        int r0 = coords.y * ${c.strideHeight} - ${c.padInfo.top};
        int c0 = coords.z * ${c.strideWidth} - ${c.padInfo.left};
        float maxValue = 0.0;
        bool found = false;
        int maxPosition = -1;
        for (int wR = 0; wR < ${c.filterHeight}; wR++) {
          int r = r0 + wR;
          if (r < 0 || r >= ${c.inHeight}) { continue; }
          for (int wC = 0; wC < ${c.filterWidth}; wC++) {
            int col = c0 + wC;
            if (col < 0 || col >= ${c.inWidth}) { continue; }
            float value = getX(coords.x, r, col, coords.w);
            // strictly greater: a tie keeps the earlier element
            if (found ? value > maxValue : value >= -${FLT_MAX}) {
              maxValue = value;
              found = true;
              maxPosition = wR * ${c.filterWidth} + wC;
            }
          }
        }
        setOutput(float(maxPosition));
      }`,
  };
}

/** dx[b, r, c, d]: the sum of dy over the windows whose maximum sits at (r, c). */
function backpropProgram(c: backend_util.Conv2DInfo): WebglProgram {
  return {
    variableNames: ['dy', 'positions'],
    outputShape: c.inShape,
    userCode: `
      void main() {
        ivec4 coords = getOutputCoords();
        float sum = 0.0;
        for (int wR = 0; wR < ${c.filterHeight}; wR++) {
          int rs = coords.y + ${c.padInfo.top} - wR;
          // no integer % in GLSL ES 1.0; rs >= 0 here, so division truncates as floor
          if (rs < 0 || rs - (rs / ${c.strideHeight}) * ${c.strideHeight} != 0) { continue; }
          int oR = rs / ${c.strideHeight};
          if (oR >= ${c.outHeight}) { continue; }
          for (int wC = 0; wC < ${c.filterWidth}; wC++) {
            int cs = coords.z + ${c.padInfo.left} - wC;
            if (cs < 0 || cs - (cs / ${c.strideWidth}) * ${c.strideWidth} != 0) { continue; }
            int oC = cs / ${c.strideWidth};
            if (oC >= ${c.outWidth}) { continue; }
            int at = int(floor(getPositions(coords.x, oR, oC, coords.w) + 0.5));
            if (at == wR * ${c.filterWidth} + wC) {
              sum += getDy(coords.x, oR, oC, coords.w);
            }
          }
        }
        setOutput(sum);
      }`,
  };
}

export const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const webgl = backend as WebglBackendLike;
  const info = poolInfoOf(input, attrs);
  const positions = webgl.runWebGLProgram(positionsProgram(info), [input], 'float32');
  const dx = webgl.runWebGLProgram(backpropProgram(info), [dy, positions], input.dtype);
  webgl.disposeIntermediateTensorInfo(positions);
  return dx;
};
