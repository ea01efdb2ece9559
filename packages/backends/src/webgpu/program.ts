// The shape of a tfjs-backend-webgpu program (its WebGPUProgram interface, which the package does not
// export) and of the backend methods our kernels call. The backend generates the shader's preamble
// (uniforms, getCoordsFromIndex, get<Input>(...), setOutputAtIndex) from these fields.
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

export interface WebgpuProgram {
  variableNames: string[];
  uniforms: string;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** the shader gets `uniforms.size` (the output's element count) to bound its flat index */
  size: boolean;
  getUserCode(): string;
}

export interface WebgpuBackendLike extends KernelBackend {
  runWebGPUProgram(
    program: WebgpuProgram,
    inputs: TensorInfo[],
    outputDtype: DataType,
    uniforms?: Array<{ type: 'int32' | 'float32'; data: number[] }>,
  ): TensorInfo;
}

/** A program over every element of `outputShape`, one invocation each, as tfjs's flatDispatchLayout. */
export function flatProgram(
  outputShape: number[],
  fields: Pick<WebgpuProgram, 'variableNames' | 'uniforms' | 'shaderKey' | 'getUserCode'>,
): WebgpuProgram {
  const workgroupSize: [number, number, number] = [64, 1, 1];
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    ...fields,
    outputShape,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    // the backend splits a dispatch over the per-dimension limit itself (reshapeDispatch)
    dispatch: [Math.ceil(size / workgroupSize[0]), 1, 1],
    workgroupSize,
    size: true,
  };
}
