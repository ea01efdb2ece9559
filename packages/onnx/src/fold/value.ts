/**
 * A value known at import time: an initializer, a Constant, or what the importer folded from them
 * (PyTorch's Shape -> Gather -> Unsqueeze -> Concat chains around `view`). Integers are held as
 * plain numbers; BATCH stands for the batch size, unknown until the model runs.
 */
export interface Const {
  readonly kind: 'const';
  readonly dtype: 'float32' | 'int';
  readonly dims: readonly number[];
  readonly data: Float32Array | readonly number[];
  /** The initializer this value is, when it is one unchanged (its name becomes a state-dict key). */
  readonly source?: string;
  /** The 2-d constant this one transposes: nn.Linear without bias exports MatMul(x, Transpose(weight)). */
  readonly transposeOf?: Const;
}

/** The batch size in a folded shape. NaN so that arithmetic on it stays "unknown" and is caught. */
export const BATCH = Number.NaN;

/** A value computed when the model runs: its ONNX shape (NCHW for images) and how the tensor holds it. */
export interface Runtime {
  readonly kind: 'runtime';
  readonly slot: number;
  /** ONNX's logical shape; dims[0] is the batch (1 while importing). */
  readonly dims: readonly number[];
  /** 'nhwc': a rank-4 ONNX NCHW value held channels-last; 'onnx': held in ONNX's own axis order. */
  readonly layout: 'nhwc' | 'onnx';
}

export type Value = Const | Runtime;

export function size(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function makeConst(dtype: Const['dtype'], dims: readonly number[], data: Float32Array | readonly number[], source?: string): Const {
  return source === undefined ? { kind: 'const', dtype, dims, data } : { kind: 'const', dtype, dims, data, source };
}
