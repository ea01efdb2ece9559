import { MissingMasksError, MetricInputError } from '../errors';
import { relevanceMassAccuracy } from '../ground-truth';
import { checkPositiveInt, type Numeric, values } from '../input';
import { type PerImageResult, summarise } from './maps';

// Localisation (Quantus family 3): does the map point at the object? Masks are ground truth shaped
// like the maps, a value > 0 marking the object. Higher is better. Relevance mass and rank accuracy
// live in ../ground-truth.ts.

export function maskBatch(
  relevance: Numeric,
  masks: Numeric | undefined,
  count: number,
  metric: string,
): { r: ArrayLike<number>; m: ArrayLike<number>; d: number } {
  checkPositiveInt(count, 'count');
  if (masks === undefined || masks === null)
    throw new MissingMasksError(`${metric} needs ground-truth masks, and none were given (a dataset without masks)`);
  const r = values(relevance, 'relevance');
  const m = values(masks, 'masks');
  if (r.length !== m.length)
    throw new MetricInputError(`relevance has ${r.length} values but masks has ${m.length}; expected the same length`);
  if (r.length % count !== 0 || r.length === 0)
    throw new MetricInputError(`relevance has ${r.length} values, not a positive multiple of count = ${count}`);
  const d = r.length / count;
  for (let i = 0; i < count; i++) {
    let any = false;
    for (let j = i * d; j < (i + 1) * d && !any; j++) any = (m[j] as number) > 0;
    if (!any) throw new MetricInputError(`image ${i} has an empty mask; ${metric} needs at least one ground-truth pixel`);
  }
  return { r, m, d };
}

/**
 * Pointing game (Zhang et al. 2018, Quantus `PointingGame`): 1 when the map's maximum (the first one,
 * in index order, on ties) lies inside the mask, else 0; the mean is the hit rate.
 */
export function pointingGame(relevance: Numeric, masks: Numeric | undefined, count: number): PerImageResult {
  const { r, m, d } = maskBatch(relevance, masks, count, 'pointingGame');
  const perImage = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let best = i * d;
    for (let j = i * d + 1; j < (i + 1) * d; j++) if ((r[j] as number) > (r[best] as number)) best = j;
    perImage[i] = (m[best] as number) > 0 ? 1 : 0;
  }
  return summarise(perImage);
}

/**
 * Attribution localisation (Kohlbrenner et al. 2020, Quantus `AttributionLocalisation`): the share of
 * positive relevance inside the mask (the same number as relevance mass accuracy), by default weighted
 * by (pixels / mask pixels) so a small object that holds all the relevance scores above a large one;
 * 1 is then what a map spread evenly over the image gets.
 */
export function attributionLocalisation(
  relevance: Numeric,
  masks: Numeric | undefined,
  count: number,
  { weighted = true }: { weighted?: boolean } = {},
): PerImageResult {
  const { r, m, d } = maskBatch(relevance, masks, count, 'attributionLocalisation');
  const { perImage } = relevanceMassAccuracy(r, m, count);
  if (weighted) {
    for (let i = 0; i < count; i++) {
      let size = 0;
      for (let j = i * d; j < (i + 1) * d; j++) if ((m[j] as number) > 0) size++;
      perImage[i]! *= d / size;
    }
  }
  return summarise(perImage);
}
