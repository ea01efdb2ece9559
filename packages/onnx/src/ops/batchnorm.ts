import { BatchNorm1d, BatchNorm2d } from '@logitlab/layers';
import type { ImportContext } from '../context';
import type { Value } from '../fold/value';
import { loadInto, placeWithParams } from './params';

/** BatchNormalization: BatchNorm2d on NHWC images, BatchNorm1d on [N, C]; ONNX's momentum is 1 - PyTorch's. */
export function batchNorm(ctx: ImportContext): Value[] {
  const raw = ctx.runtime(0);
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => ctx.constant(i));
  const c = raw.dims[1];
  if (raw.dims.length !== 4 && raw.dims.length !== 2)
    ctx.fail(`BatchNormalization on dims [${raw.dims.join(', ')}]: only 2-d and 4-d inputs are supported`);
  for (const [name, t] of Object.entries({ scale, bias, mean, variance })) {
    if (t!.dims.length !== 1 || t!.dims[0] !== c) ctx.fail(`${name} has dims [${t!.dims.join(', ')}], expected [${c}]`);
  }
  if (ctx.attrs.int('training_mode', 0) !== 0) {
    ctx
      .report()
      .notes.push(`${ctx.where} was exported in training mode; the model is returned in eval mode (call train() to use batch statistics)`);
  }
  const options = { eps: ctx.attrs.float('epsilon', 1e-5), momentum: Number((1 - ctx.attrs.float('momentum', 0.9)).toFixed(6)) };
  const x = raw.dims.length === 4 ? ctx.nhwc(raw) : raw;
  const layer = raw.dims.length === 4 ? new BatchNorm2d(c!, options) : new BatchNorm1d(c!, options);
  const params = { weight: scale!, bias: bias!, running_mean: mean!, running_var: variance! };
  placeWithParams(ctx, layer, params);
  loadInto(layer, params);
  return [ctx.step([x], x.layout, ([t]) => layer.call(t!))];
}
