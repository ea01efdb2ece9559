import { AvgPool2d, MaxPool2d } from '@logitlab/layers';
import type { ImportContext } from '../context';
import type { Value } from '../fold/value';
import { GlobalAvgPool2d } from '../layers/pooling';

/** MaxPool / AveragePool geometry, checked: 2-d, symmetric pads, no dilation, floor output sizes. */
function geometry(ctx: ImportContext) {
  const kernel = ctx.attrs.ints('kernel_shape');
  const strides = ctx.attrs.ints('strides', [1, 1]);
  const pads = ctx.attrs.ints('pads', [0, 0, 0, 0]);
  const dilations = ctx.attrs.ints('dilations', [1, 1]);
  if (kernel.length !== 2 || strides.length !== 2 || pads.length !== 4) ctx.fail('only 2-d pooling is supported');
  if (dilations.some((d) => d !== 1)) ctx.fail(`dilations [${dilations.join(', ')}] are not supported`);
  if (ctx.attrs.int('ceil_mode', 0) !== 0) ctx.fail('ceil_mode = 1 is not supported (PyTorch default ceil_mode=False is)');
  if (ctx.attrs.string('auto_pad', 'NOTSET') !== 'NOTSET') ctx.fail(`auto_pad = ${ctx.attrs.string('auto_pad')} is not supported`);
  if (pads[0] !== pads[2] || pads[1] !== pads[3]) ctx.fail(`asymmetric pads [${pads.join(', ')}] are not supported for pooling`);
  return { kernel: kernel as [number, number], stride: strides as [number, number], padding: [pads[0], pads[1]] as [number, number] };
}

export function maxPool(ctx: ImportContext): Value[] {
  const x = ctx.nhwc(ctx.runtime(0));
  const g = geometry(ctx);
  if (ctx.attrs.int('storage_order', 0) !== 0) ctx.fail('storage_order = 1 is not supported');
  const layer = ctx.layer(new MaxPool2d(g.kernel, { stride: g.stride, padding: g.padding }));
  return [ctx.step([x], 'nhwc', ([t]) => layer.call(t!))];
}

export function averagePool(ctx: ImportContext): Value[] {
  const x = ctx.nhwc(ctx.runtime(0));
  const g = geometry(ctx);
  const countIncludePad = ctx.attrs.int('count_include_pad', 0) === 1;
  const layer = ctx.layer(new AvgPool2d(g.kernel, { stride: g.stride, padding: g.padding, countIncludePad }));
  return [ctx.step([x], 'nhwc', ([t]) => layer.call(t!))];
}

export function globalAveragePool(ctx: ImportContext): Value[] {
  const x = ctx.nhwc(ctx.runtime(0));
  const layer = ctx.layer(new GlobalAvgPool2d());
  return [ctx.step([x], 'nhwc', ([t]) => layer.call(t!))];
}
