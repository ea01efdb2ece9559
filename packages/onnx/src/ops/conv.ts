import * as tf from '@tensorflow/tfjs-core';
import { Conv2d } from '@logitlab/layers';
import type { ImportContext } from '../context';
import type { Value } from '../fold/value';
import { DepthwiseConv2d } from '../layers/depthwise';
import { loadInto, placeWithParams } from './params';

/**
 * Conv (2-d): a Conv2d for group 1, whose asymmetric pads become a zero Pad step before it (Conv2d pads
 * both sides alike); a DepthwiseConv2d for group = channels.
 */
export function conv(ctx: ImportContext): Value[] {
  let x = ctx.nhwc(ctx.runtime(0));
  const w = ctx.constant(1);
  const b = ctx.optionalConstant(2);
  if (w.dims.length !== 4) ctx.fail(`only 2-d convolutions are supported; the weight has dims [${w.dims.join(', ')}]`);
  const [out, inPerGroup, kh, kw] = w.dims as [number, number, number, number];
  const group = ctx.attrs.int('group', 1);
  const channels = x.dims[1]!;
  const depthwise = group > 1 && group === channels && inPerGroup === 1 && out % group === 0;
  if (group !== 1 && !depthwise) {
    ctx.fail(`group = ${group} on ${channels} channels: only group = 1 and depthwise convolutions (group = channels) are supported`);
  }
  if (channels !== inPerGroup * group) ctx.fail(`the input has ${channels} channels, the weight expects ${inPerGroup * group}`);
  if (b && (b.dims.length !== 1 || b.dims[0] !== out)) ctx.fail(`the bias has dims [${b.dims.join(', ')}], expected [${out}]`);
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') ctx.fail(`auto_pad = ${autoPad} is not supported (export with explicit pads)`);
  const kernel = ctx.attrs.ints('kernel_shape', [kh, kw]);
  if (kernel[0] !== kh || kernel[1] !== kw) ctx.fail(`kernel_shape [${kernel.join(', ')}] disagrees with the weight's [${kh}, ${kw}]`);
  const strides = ctx.attrs.ints('strides', [1, 1]);
  const dilations = ctx.attrs.ints('dilations', [1, 1]);
  const [pt, pl, pb, pr] = autoPad === 'VALID' ? [0, 0, 0, 0] : ctx.attrs.ints('pads', [0, 0, 0, 0]);
  if ([strides, dilations].some((a) => a.length !== 2 || a.some((v) => !(v >= 1)))) {
    ctx.fail(`strides [${strides.join(', ')}] and dilations [${dilations.join(', ')}] must be two positive integers`);
  }
  if ([pt, pl, pb, pr].some((p) => p === undefined || !(p >= 0))) ctx.fail('pads must be four non-negative integers');
  const symmetric = pt === pb && pl === pr;
  if (!symmetric) {
    x = ctx.step([x], 'nhwc', ([t]) =>
      tf.pad(t!, [
        [0, 0],
        [pt!, pb!],
        [pl!, pr!],
        [0, 0],
      ]),
    );
  }
  if (depthwise) {
    if (!symmetric) ctx.fail(`asymmetric pads [${[pt, pl, pb, pr].join(', ')}] are not supported for depthwise convolutions`);
    const dw = new DepthwiseConv2d(channels, out / group, [kh, kw], {
      stride: strides as [number, number],
      dilation: dilations as [number, number],
      padding: [pt!, pl!],
      bias: b !== null,
    });
    placeWithParams(ctx, dw, { weight: w, bias: b });
    loadInto(dw, { weight: w, bias: b });
    return [ctx.step([x], 'nhwc', ([t]) => dw.call(t!))];
  }
  const layer = new Conv2d(inPerGroup, out, [kh, kw], {
    stride: strides as [number, number],
    dilation: dilations as [number, number],
    padding: symmetric ? [pt!, pl!] : 0,
    bias: b !== null,
  });
  placeWithParams(ctx, layer, { weight: w, bias: b });
  loadInto(layer, { weight: w, bias: b });
  return [ctx.step([x], 'nhwc', ([t]) => layer.call(t!))];
}
