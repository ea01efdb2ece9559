import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '@logitlab/layers';
import type { ImportContext } from '../context';
import { type Const, makeConst, type Value } from '../fold/value';
import { loadInto, placeWithParams } from './params';

/** A [rows, cols] constant transposed (Gemm with transB = 0 and MatMul hold the weight as [in, out]). */
function transposed(c: Const): Const {
  const [r, k] = c.dims as [number, number];
  const out = new Float32Array(r * k);
  for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) out[j * r + i] = c.data[i * k + j]!;
  return makeConst('float32', [k, r], out);
}

/** Gemm as PyTorch's nn.Linear exports it: y = x W^T + b (alpha = beta = 1, transA = 0). */
export function gemm(ctx: ImportContext): Value[] {
  const x = ctx.runtime(0);
  if (x.dims.length !== 2) ctx.fail(`Gemm expects a 2-d input, got dims [${x.dims.join(', ')}]`);
  const alpha = ctx.attrs.float('alpha', 1);
  const beta = ctx.attrs.float('beta', 1);
  if (alpha !== 1 || beta !== 1 || ctx.attrs.int('transA', 0) !== 0) {
    ctx.fail(
      `only alpha = 1, beta = 1, transA = 0 (nn.Linear) is supported, got alpha ${alpha}, beta ${beta}, transA ${ctx.attrs.int('transA', 0)}`,
    );
  }
  const b = ctx.constant(1);
  if (b.dims.length !== 2) ctx.fail(`the weight has dims [${b.dims.join(', ')}], expected 2-d`);
  // PyTorch's layout is [out, in] (transB = 1); a transB = 0 weight is stored the other way round
  const weight = ctx.attrs.int('transB', 0) === 1 ? b : transposed(b);
  const [out, inFeatures] = weight.dims as [number, number];
  if (x.dims[1] !== inFeatures) ctx.fail(`the input has ${x.dims[1]} features, the weight expects ${inFeatures}`);
  let bias = ctx.optionalConstant(2);
  if (bias && bias.dims.reduce((a, d) => a * d, 1) !== out) ctx.fail(`the bias has dims [${bias.dims.join(', ')}], expected [${out}]`);
  if (bias && bias.dims.length !== 1) bias = makeConst('float32', [out], bias.data, bias.source);
  const layer = new Linear(inFeatures, out, { bias: bias !== null });
  placeWithParams(ctx, layer, {
    weight: weight === b ? b : { ...weight, source: b.source ? `${b.source} (transposed)` : undefined },
    bias,
  });
  loadInto(layer, { weight, bias });
  return [ctx.step([x], 'onnx', ([t]) => layer.call(t!))];
}

/** MatMul of a computed tensor by a constant [in, out] matrix: a bias-free Linear over the last axis. */
export function matMul(ctx: ImportContext): Value[] {
  const x = ctx.onnx(ctx.runtime(0));
  const b = ctx.constant(1);
  if (b.dims.length !== 2) ctx.fail(`only MatMul by a constant matrix is supported; the constant has dims [${b.dims.join(', ')}]`);
  const [inFeatures, out] = b.dims as [number, number];
  if (x.dims.at(-1) !== inFeatures) ctx.fail(`the input's last axis has ${x.dims.at(-1)} features, the matrix expects ${inFeatures}`);
  // MatMul(x, Transpose(fc.weight)) is how nn.Linear(bias=False) exports: the weight is that initializer as it is
  const weight = b.transposeOf ?? transposed(b);
  const layer = new Linear(inFeatures, out, { bias: false });
  placeWithParams(ctx, layer, {
    weight: b.transposeOf ? weight : { ...weight, source: b.source ? `${b.source} (transposed)` : undefined },
  });
  loadInto(layer, { weight });
  return [ctx.step([x], 'onnx', ([t]) => (t!.rank === 2 ? layer.call(t!) : tf.tidy(() => layer.call(t!))))];
}
