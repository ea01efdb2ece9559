// The shape of a tfjs-backend-webgl program (its GPGPUProgram interface, which the package's index does
// not export) and of the backend methods our kernels call. The backend writes the shader's preamble
// (getOutputCoords, get<Input>(...), setOutput) from these fields; shapes are baked into `userCode`,
// which is part of the compiled-shader cache key, as in tfjs's own unpacked programs.
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

export interface WebglProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
}

export interface WebglBackendLike extends KernelBackend {
  runWebGLProgram(program: WebglProgram, inputs: TensorInfo[], outputDtype: DataType): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}
