// Relu, Relu6, LeakyRelu and Elu for webgpu that keep NaN, as cpu (and PyTorch) do. tfjs-webgpu 4.22
// decides with comparisons (`a < 0.0`, clamp), and WGSL lets an implementation evaluate those as if NaN
// did not exist: llvmpipe's GL takes NaN < 0 for true, so relu(NaN) was 0 and a diverged model's NaN
// vanished before fit's NaN check saw the loss. tfjs's preamble `isnan` tests the bits, which no
// optimiser can assume away, so a NaN input is returned as it is before any comparison runs.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { flatProgram } from './program';
import type { WebgpuBackendLike } from './program';

/** The kernels, each its activation of a non-NaN `a` (LeakyRelu reads `uniforms.alpha`). */
const ACTIVATIONS = {
  Relu: 'select(a, 0.0, a < 0.0)',
  Relu6: 'clamp(a, 0.0, 6.0)',
  LeakyRelu: 'select(a, uniforms.alpha * a, a < 0.0)',
  Elu: 'select(a, exp(a) - 1.0, a < 0.0)',
} as const;

export type NanKeepingActivation = keyof typeof ACTIVATIONS;

function kernel(name: NanKeepingActivation): KernelFunc {
  const alpha = name === 'LeakyRelu';
  const userCode = `
fn main(index : i32) {
  if (index < uniforms.size) {
    let a = getAByOutputIndex(index);
    if (isnan(a)) {
      setOutputAtIndex(index, a);
      return;
    }
    setOutputAtIndex(index, ${ACTIVATIONS[name]});
  }
}`;
  return ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const program = flatProgram(x.shape, {
      variableNames: ['A'],
      uniforms: alpha ? 'alpha : f32,' : '',
      shaderKey: `logitlabNanKeeping${name}`,
      getUserCode: () => userCode,
    });
    const uniforms = alpha ? [{ type: 'float32' as const, data: [(attrs as { alpha: number }).alpha] }] : [];
    return (backend as WebgpuBackendLike).runWebGPUProgram(program, [x], x.dtype, uniforms);
  };
}

export const nanKeepingActivations: Record<NanKeepingActivation, KernelFunc> = {
  Relu: kernel('Relu'),
  Relu6: kernel('Relu6'),
  LeakyRelu: kernel('LeakyRelu'),
  Elu: kernel('Elu'),
};
