import * as tf from '@tensorflow/tfjs-core';
import type { ImportContext } from '../context';
import type { Const, Runtime, Value } from '../fold/value';
import { type BinaryOp, ConstantOp, Elementwise } from '../layers/elementwise';
import { Sum } from '../layers/sum';

/** A constant in the layout of the value it meets (a broadcast against an NCHW image moves to NHWC); the ConstantOp owns it. */
function constantFor(ctx: ImportContext, c: Const, x: Runtime): tf.Tensor {
  if (x.layout !== 'nhwc') return ctx.scratch(c);
  if (c.dims.length > 4) ctx.fail(`a constant of dims [${c.dims.join(', ')}] cannot broadcast with a 4-d image`);
  const dims4 = [...Array<number>(4 - c.dims.length).fill(1), ...c.dims];
  return tf.tidy(() => tf.transpose(ctx.scratch(c, dims4), [0, 2, 3, 1]));
}

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => Math.max(a[i - rank + a.length] ?? 1, b[i - rank + b.length] ?? 1));
}

/** Add, Sub, Mul, Div: with a constant a ConstantOp; of two computed tensors a Sum (Add) or an Elementwise layer. */
export function binary(op: BinaryOp) {
  return (ctx: ImportContext): Value[] => {
    const [a, b] = [ctx.inputs[0], ctx.inputs[1]];
    if (!a || !b) ctx.fail(`${op} needs two inputs`);
    if (a.kind === 'const' || b.kind === 'const') {
      const x = (a.kind === 'runtime' ? a : b) as Runtime;
      const c = (a.kind === 'const' ? a : b) as Const;
      if (c.source) ctx.report().constants.push(c.source);
      const layer = ctx.layer(new ConstantOp(op, constantFor(ctx, c, x), a.kind === 'const'));
      return [ctx.step([x], x.layout, ([t]) => layer.call(t!))];
    }
    const images = a.dims.length === 4 && b.dims.length === 4 && (a.layout === 'nhwc' || b.layout === 'nhwc');
    const [x, y] = images ? [ctx.nhwc(a), ctx.nhwc(b)] : [ctx.onnx(a), ctx.onnx(b)];
    const layer = ctx.layer(op === 'Add' ? new Sum() : new Elementwise(op));
    return [
      ctx.step([x, y], x.layout, ([s, t]) => {
        // a tf.tidy around every run (the model's forward, the import's probe) frees the stack
        const dims = broadcast(s!.shape, t!.shape);
        return layer.call(tf.stack([tf.broadcastTo(s!, dims), tf.broadcastTo(t!, dims)], -1));
      }),
    ];
  };
}
