import { namedComposite, type Composite, type CompositeName } from '@logitlab/explain';
import { Conv2d, Linear, type Module } from '@logitlab/layers';

/** A composite that gives the same map as an earlier one on this model, and why. */
export interface SameAs {
  as: CompositeName;
  reason: string;
}

type Field = 'first' | 'conv' | 'dense' | 'pool';
// The layer kinds each field of a composite reaches (@logitlab/explain's composites.ts: `conv` is
// for Conv2d, `dense` for Linear, `first` for the first of either).
const KIND: Record<Field, string> = { first: 'first', conv: 'convolution', dense: 'dense', pool: 'pooling' };

/**
 * Which named composites are identical on `model`: two composites whose rules differ only for layer
 * kinds the model does not have propagate the same relevance (zennit's EpsilonPlus and
 * EpsilonAlpha2Beta1 change only the conv rule, so on a dense-only network both are LRP-epsilon).
 * Each composite maps to the first earlier one it equals, with the reason, or to null.
 */
export function identicalComposites(
  model: Module,
  names: readonly CompositeName[],
  bounds: readonly [number, number],
): Map<CompositeName, SameAs | null> {
  const modules = model.namedModules().map(([, m]) => m);
  const has = {
    conv: modules.some((m) => m instanceof Conv2d),
    dense: modules.some((m) => m instanceof Linear),
  };
  const reaches = (f: Field): boolean => (f === 'conv' ? has.conv : f === 'dense' ? has.dense : true);
  const rule = (c: Composite, f: Field): string => c[f]?.name ?? '';
  const FIELDS: Field[] = ['first', 'conv', 'dense', 'pool'];
  const key = (c: Composite): string => JSON.stringify([FIELDS.map((f) => (reaches(f) ? rule(c, f) : '-')), c.byType, c.byName]);
  const composites = names.map((n) => [n, namedComposite(n, { bounds })] as const);
  const out = new Map<CompositeName, SameAs | null>();
  composites.forEach(([name, c], i) => {
    const earlier = composites.slice(0, i).find(([, o]) => key(o) === key(c));
    if (!earlier) {
      out.set(name, null);
      return;
    }
    const differ = FIELDS.filter((f) => rule(c, f) !== rule(earlier[1], f));
    const why = differ.map((f) => `its ${f} rule (${rule(c, f) || 'none'}) is for ${KIND[f]} layers`).join(' and ');
    out.set(name, { as: earlier[0], reason: `${why}, and this network has none` });
  });
  return out;
}
