import type { SumPoolExplainer } from '@logitlab/models';
import { distanceFinding, inkFinding, inkMass, nearestDistance, reliabilityFinding } from '../lib/ood';
import { oodStats } from './ood-stats';
import type { ZooEntry } from './zoo';

export interface PairFindings {
  /** What was found far from the training pairs (empty: nothing). */
  far: string[];
  /** The checks that ran ('ink', 'distance', 'reliability'). */
  checks: string[];
  /** The note to show, or '' when there is nothing to say. */
  text: string;
}

/** What ood.json's training statistics say about an Explain input (two digits, `width` wide) and its answer f. */
export async function pairFindings(
  input: Float32Array,
  width: number,
  f: number,
  features: Float32Array,
  e: ZooEntry<SumPoolExplainer>,
): Promise<PairFindings> {
  const ood = (await oodStats())?.explain;
  if (!ood) return { far: [], checks: [], text: 'Not checked against the training data: weights/ood.json is missing.' };
  const far: Array<string | null> = (['left', 'right'] as const).map((side) =>
    inkFinding(inkMass(input, { x: side === 'left' ? 0 : 28, width: 28, height: 28, stride: width }), ood.ink, `the ${side} half`),
  );
  const checks = ['ink'];
  // The distances and the held-out answers were measured with the shipped weights only.
  const shipped = e.source === 'pretrained' && ood.model === e.id;
  if (shipped) {
    checks.push('distance', 'reliability');
    far.push(distanceFinding(nearestDistance(features, ood.reference), ood.distance, ood.layer));
    if (ood.reliability) far.push(reliabilityFinding(f, ood.reliability));
  }
  const found = far.filter((x): x is string => x !== null);
  const text = found.length
    ? `This answer is not supported (the input or the answer lies where the training pairs do not): ${found.join('; ')}.`
    : shipped
      ? ''
      : 'Only the ink was checked: the distance and reliability figures were measured for the shipped weights.';
  return { far: found, checks, text };
}
