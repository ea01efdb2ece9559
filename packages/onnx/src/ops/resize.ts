import type { ImportContext } from '../context';
import type { Const, Value } from '../fold/value';
import { Upsample } from '../layers/pooling';

/** Largest upsampling factor per axis: more is a hostile file, not a U-Net. */
const MAX_SCALE = 64;

/**
 * Resize (opset 11+) and Upsample (older) in nearest mode by whole factors, as F.interpolate(...,
 * mode='nearest') exports them (asymmetric coordinates, floor): an Upsample layer on NHWC.
 */
export function resize(ctx: ImportContext): Value[] {
  const x = ctx.nhwc(ctx.runtime(0));
  const mode = ctx.attrs.string('mode', 'nearest');
  if (mode !== 'nearest') ctx.fail(`mode '${mode}' is not supported (only 'nearest')`);
  const coords = ctx.attrs.string('coordinate_transformation_mode', 'half_pixel');
  const rounding = ctx.attrs.string('nearest_mode', 'round_prefer_floor');
  const upsample = ctx.inputs.length <= 2;
  if (!upsample && (coords !== 'asymmetric' || rounding !== 'floor')) {
    ctx.fail(
      `coordinate_transformation_mode '${coords}' with nearest_mode '${rounding}' is not supported (PyTorch's nearest exports 'asymmetric' with 'floor')`,
    );
  }
  const scales: Const | null = upsample ? ctx.constant(1) : ctx.optionalConstant(2);
  const sizes = upsample ? null : ctx.optionalConstant(3);
  let factors: number[];
  if (scales && scales.data.length > 0) factors = [...scales.data];
  else if (sizes && sizes.data.length === 4) factors = [...sizes.data].map((s, i) => s / x.dims[i]!);
  else return ctx.fail('neither scales nor sizes is given');
  if (factors.length !== 4 || factors[0] !== 1 || factors[1] !== 1)
    ctx.fail(`scales [${factors.join(', ')}] must keep the batch and channel axes`);
  const [, , sh, sw] = factors as [number, number, number, number];
  if (![sh, sw].every((s) => Number.isInteger(s) && s >= 1 && s <= MAX_SCALE)) {
    ctx.fail(`scales [${factors.join(', ')}]: only whole factors from 1 to ${MAX_SCALE} are supported`);
  }
  const layer = ctx.layer(new Upsample([sh, sw]));
  return [ctx.step([x], 'nhwc', ([t]) => layer.call(t!))];
}
