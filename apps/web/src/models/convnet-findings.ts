import { distanceFinding, inkFinding, inkMass, nearestDistance } from '../lib/ood';
import type { PageOodStats } from './ood-stats';

export interface Findings {
  /** What was found far from the training digits (empty: nothing). */
  found: string[];
  /** The checks that ran ('ink', 'distance'). */
  checks: string[];
  /** The note to show, or '' when there is nothing to say. */
  text: string;
}

/** What ood.json's training statistics say about a Classify drawing as the network sees it. */
export function convnetFindings(pixels: Float32Array, features: Float32Array | null, stats: PageOodStats | null): Findings {
  if (!stats) return { found: [], checks: [], text: 'Not checked against the training digits: weights/ood.json is missing.' };
  const checks = ['ink'];
  const all = [inkFinding(inkMass(pixels), stats.ink, 'the pad')];
  if (features) {
    checks.push('distance');
    all.push(distanceFinding(nearestDistance(features, stats.reference), stats.distance, `${stats.model}'s ${stats.layer}`));
  }
  const found = all.filter((f): f is string => f !== null);
  const text = found.length
    ? `Far from the training digits, so no head's answer is supported (a classifier has no "none of these" output): ${found.join('; ')}.`
    : '';
  return { found, checks, text };
}
