import * as tf from '@tensorflow/tfjs-core';
import { Flatten } from '@logitlab/layers';
import type { ImportContext } from '../context';
import { BATCH, type Runtime, type Value } from '../fold/value';

/** Flatten(axis=1): layers' Flatten, which flattens NHWC images in PyTorch's (C, H, W) order. */
export function flatten(ctx: ImportContext): Value[] {
  const x = ctx.runtime(0);
  const axis = ctx.attrs.int('axis', 1);
  if (axis !== 1) ctx.fail(`Flatten axis = ${axis}: only axis 1 (torch.flatten(x, 1), nn.Flatten) is supported`);
  if (x.layout === 'onnx') return [ctx.step([x], 'onnx', ([t]) => tf.reshape(t!, [t!.shape[0]!, -1]))];
  const layer = ctx.layer(new Flatten());
  return [ctx.step([x], 'onnx', ([t]) => layer.call(t!))];
}

/**
 * Reshape to a constant (or folded) shape, in ONNX's axis order: an NHWC image is first put back into
 * NCHW, so `x.view(n, -1)` flattens in PyTorch's order. The batch entry of a folded shape (from
 * x.size(0)) and a 0 copied from the batch axis follow the batch the model is run with.
 */
export function reshape(ctx: ImportContext): Value[] {
  const x = ctx.onnx(ctx.runtime(0));
  const target = ctx.constant(1);
  if (target.dtype !== 'int' || target.dims.length !== 1)
    ctx.fail(`the shape must be a 1-d integer tensor, got dims [${target.dims.join(', ')}]`);
  if (ctx.attrs.int('allowzero', 0) !== 0) ctx.fail('allowzero = 1 is not supported');
  const template = [...target.data].map((d, i) => {
    if (Number.isNaN(d) || (d === 0 && i === 0)) return -2; // the batch
    if (d === 0) return x.dims[i] ?? ctx.fail(`shape[${i}] = 0 copies an axis the input does not have`);
    if (!(d >= -1) || !Number.isInteger(d)) ctx.fail(`shape[${i}] = ${d} is not a size`);
    return d;
  });
  return [
    ctx.step([x], 'onnx', ([t]) =>
      tf.reshape(
        t!,
        template.map((d) => (d === -2 ? t!.shape[0]! : d)),
      ),
    ),
  ];
}

/** Transpose of a computed tensor; the result is held in ONNX's order. */
export function transpose(ctx: ImportContext): Value[] {
  const x = ctx.runtime(0);
  const rank = x.dims.length;
  // oxlint-disable-next-line unicorn/no-array-reverse -- reverses a fresh array; toReversed is ES2023
  const perm = ctx.attrs.ints('perm', [...Array(rank).keys()].reverse());
  if (perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => !(p >= 0 && p < rank))) {
    ctx.fail(`perm [${perm.join(', ')}] is not a permutation of ${rank} axes`);
  }
  if (perm[0] !== 0) ctx.fail(`perm [${perm.join(', ')}] moves the batch axis, which is not supported`);
  const held = perm.map((a) => ctx.heldAxis(x, a));
  return [ctx.step([x], 'onnx', ([t]) => tf.transpose(t!, held))];
}

/** Concat of computed tensors (a U-Net's skip connection): along the held axis, all in one layout. */
export function concat(ctx: ImportContext): Value[] {
  const xs = ctx.inputs.map((_, i) => ctx.runtime(i));
  if (xs.length === 0) ctx.fail('Concat has no inputs');
  const images = xs.every((v) => v.dims.length === 4) && xs.some((v) => v.layout === 'nhwc');
  const aligned: Runtime[] = xs.map((v) => (images ? ctx.nhwc(v) : ctx.onnx(v)));
  const axis = ctx.heldAxis(aligned[0]!, ctx.attrs.int('axis'));
  if (axis === 0) ctx.fail('Concat along the batch axis is not supported');
  return [ctx.step(aligned, aligned[0]!.layout, (ts) => tf.concat(ts, axis))];
}

/** Pad with a constant (mode 'constant'): pads in ONNX's axis order, moved to the held axes. */
export function pad(ctx: ImportContext): Value[] {
  const x = ctx.runtime(0);
  const mode = ctx.attrs.string('mode', 'constant');
  if (mode !== 'constant') ctx.fail(`mode '${mode}' is not supported (only 'constant')`);
  const rank = x.dims.length;
  const pads = ctx.opset >= 11 ? [...ctx.constant(1).data] : ctx.attrs.ints('pads');
  const value = ctx.opset >= 11 ? (ctx.optionalConstant(2)?.data[0] ?? 0) : ctx.attrs.float('value', 0);
  if (ctx.inputs[3]) ctx.fail('the axes input of Pad is not supported');
  if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p) || p < 0 || p > 4096)) {
    ctx.fail(`pads [${pads.join(', ')}] must be ${2 * rank} integers in [0, 4096]`);
  }
  if (pads[0] !== 0 || pads[rank] !== 0) ctx.fail('padding the batch axis is not supported');
  const held = Array.from({ length: rank }, () => [0, 0] as [number, number]);
  for (let a = 0; a < rank; a++) held[ctx.heldAxis(x, a)] = [pads[a]!, pads[a + rank]!];
  return [ctx.step([x], x.layout, ([t]) => tf.pad(t!, held, value))];
}

/** Identity and Dropout (the identity in eval; an eval-mode export drops them itself). */
export function identity(ctx: ImportContext): Value[] {
  const x = ctx.runtime(0);
  if (ctx.attrs.int('training_mode', 0) !== 0) ctx.fail('Dropout in training mode is not supported');
  return [x];
}

export { BATCH };
