import { LogSoftmax, ReLU, Sigmoid, Softmax, Tanh, type Module } from '@logitlab/layers';
import type { ImportContext } from '../context';
import type { Value } from '../fold/value';
import { Clip, LeakyReLU } from '../layers/activations';

/** An element-wise layer on the value as it is held (any layout). */
function elementwise(ctx: ImportContext, layer: Module): Value[] {
  const x = ctx.runtime(0);
  const placed = ctx.layer(layer);
  return [ctx.step([x], x.layout, ([t]) => placed.call(t!))];
}

export const relu = (ctx: ImportContext): Value[] => elementwise(ctx, new ReLU());
export const sigmoid = (ctx: ImportContext): Value[] => elementwise(ctx, new Sigmoid());
export const tanh = (ctx: ImportContext): Value[] => elementwise(ctx, new Tanh());
export const leakyRelu = (ctx: ImportContext): Value[] => elementwise(ctx, new LeakyReLU(ctx.attrs.float('alpha', 0.01)));

/** Clip: bounds from inputs 1 and 2 (opset 11+) or the min / max attributes (older). */
export function clip(ctx: ImportContext): Value[] {
  const bound = (i: number, attr: string, fallback: number): number => {
    const c = ctx.optionalConstant(i);
    if (c) {
      if (c.data.length !== 1) ctx.fail(`Clip's ${attr} must be a scalar, got dims [${c.dims.join(', ')}]`);
      return c.data[0]!;
    }
    return ctx.attrs.float(attr, fallback);
  };
  return elementwise(ctx, new Clip(bound(1, 'min', -Infinity), bound(2, 'max', Infinity)));
}

/** Softmax / LogSoftmax over one axis (opset 13's meaning; older opsets agree when it is the last axis). */
function overAxis(ctx: ImportContext, make: (axis: number) => Module): Value[] {
  const x = ctx.runtime(0);
  const rank = x.dims.length;
  const axis = ctx.attrs.int('axis', ctx.opset >= 13 ? -1 : 1);
  const r = axis < 0 ? axis + rank : axis;
  if (ctx.opset < 13 && r !== rank - 1) {
    ctx.fail(`before opset 13 softmax over axis ${axis} flattens the axes after it; only the last axis is supported (got rank ${rank})`);
  }
  const placed = ctx.layer(make(ctx.heldAxis(x, axis)));
  return [ctx.step([x], x.layout, ([t]) => placed.call(t!))];
}

export const softmax = (ctx: ImportContext): Value[] => overAxis(ctx, (a) => new Softmax(a));
export const logSoftmax = (ctx: ImportContext): Value[] => overAxis(ctx, (a) => new LogSoftmax(a));
