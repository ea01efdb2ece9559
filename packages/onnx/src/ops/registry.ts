import type { ImportContext } from '../context';
import type { Value } from '../fold/value';
import { clip, leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh } from './activations';
import { binary } from './arithmetic';
import { batchNorm } from './batchnorm';
import { conv } from './conv';
import { gemm, matMul } from './dense';
import { concat, flatten, identity, pad, reshape, transpose } from './layout';
import { averagePool, globalAveragePool, maxPool } from './pool';
import { resize } from './resize';

/** Turns one node whose inputs include a computed tensor into steps (and layers); returns its outputs. */
export type Converter = (ctx: ImportContext) => Value[];

/**
 * Every operator the importer runs, by ONNX name. Nodes whose inputs are all constants are folded
 * instead (fold/fold.ts); an operator in neither table is an OnnxImportError that lists both.
 */
export const CONVERTERS: Record<string, Converter> = {
  Conv: conv,
  Gemm: gemm,
  MatMul: matMul,
  BatchNormalization: batchNorm,
  Relu: relu,
  LeakyRelu: leakyRelu,
  Sigmoid: sigmoid,
  Tanh: tanh,
  Clip: clip,
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Pad: pad,
  Resize: resize,
  Upsample: resize,
  Identity: identity,
  Dropout: identity,
  Add: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Div: binary('Div'),
};
