import { fmt } from '../report';
import type { MapScores } from './sumpool-scores';

export const METHOD_NAMES: Record<string, string> = {
  deepTaylor: 'Deep Taylor',
  'lrp:deepTaylor': 'Deep Taylor (zB first)',
  sensitivity: 'sensitivity',
  integratedGradients: 'integrated gradients',
  random: 'a random order',
  'lrp:epsilon': 'LRP-epsilon',
  'lrp:epsilonPlus': 'LRP epsilon-plus',
  'lrp:epsilonGammaBox': 'LRP epsilon-gamma-box',
  'lrp:epsilonAlpha2Beta1': 'LRP epsilon-alpha2-beta1',
};

/** "A leads, then B, C" from a record of scores (higher is better), so the sentence follows the numbers. */
const nameOf = (k: string) => METHOD_NAMES[k] ?? k;

export function ranking(scores: Record<string, number>): string {
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh array of entries
  const order = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  return `${nameOf(order[0]![0])} leads, then ${order
    .slice(1)
    .map(([k]) => nameOf(k))
    .join(', ')}`;
}

/** The first-layer rules of Deep Taylor, with the rest of the network on z+ (Montavon et al. 2017 sec. 4). */
export const FIRST_RULES = ['zB', 'wSquare', 'zPlus'] as const;
export type FirstRule = (typeof FIRST_RULES)[number];
export const FIRST_RULE_NAMES: Record<FirstRule, string> = { zB: 'zB', wSquare: 'w²', zPlus: 'z+' };

/**
 * The finding about the first-layer rule, from the numbers: which rule puts the most relevance on the
 * 0-3 digit's strokes, and what that costs in AOPC.
 */
export function firstRuleFinding(scores: Record<FirstRule, MapScores>, range: readonly [number, number]): string {
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy
  const [best] = [...FIRST_RULES].sort((a, b) => scores[b].strokeMass - scores[a].strokeMass);
  const zB = scores.zB;
  const b = scores[best!];
  const mass = (r: FirstRule) => `${FIRST_RULE_NAMES[r]} ${fmt(scores[r].strokeMass, 3)}`;
  const aopc = (r: FirstRule) => `${FIRST_RULE_NAMES[r]} ${fmt(scores[r].aopc, 3)}`;
  const why =
    range[0] < 0
      ? `black is coded ${fmt(range[0], 3)}, below zero, so z+ (x w+) gives the background negative relevance and zB (x w - l w+ - h w-) gives it (h - l)|w-| through every negative weight`
      : `black is coded ${fmt(range[0], 3)}, so z+ (x w+) gives the background no relevance at all, while zB (x w - l w+ - h w-) still gives it (h - l)|w-| through every negative weight`;
  return (
    `The first layer decides where Deep Taylor's relevance lands (${why}): relevance mass on the 0-3 digit's strokes is ${FIRST_RULES.map(mass).join(', ')}; ` +
    `pointing game ${FIRST_RULES.map((r) => `${FIRST_RULE_NAMES[r]} ${fmt(scores[r].pointing, 3)}`).join(', ')}; AOPC ${FIRST_RULES.map(aopc).join(', ')}. ` +
    (best === 'zB'
      ? 'zB leads on the strokes here as well.'
      : `${FIRST_RULE_NAMES[best!]} puts ${fmt(b.strokeMass / Math.max(zB.strokeMass, 1e-12), 3)}x as much on the strokes as zB, ` +
        (b.aopc < zB.aopc
          ? `and scores ${fmt(zB.aopc - b.aopc, 3)} lower on AOPC: uniform noise on a black background pixel moves f through the negative weights zB credits, so pixel flipping rewards background relevance.`
          : `and scores no lower on AOPC (${fmt(b.aopc, 3)} vs ${fmt(zB.aopc, 3)}).`))
  );
}
