import type { Module } from '@logitlab/layers';
import { ExplainModelError, ExplainOptionsError } from './errors';
import { familyOf, requireLrpSpec } from './lrp-registry';
import { alphaBetaRule, epsilonRule, gammaRule, proportionalRule, type Rule, zBoxRule, zPlusRule } from './rules';

/**
 * Which rule each layer gets (zennit's composite), as data. Precedence: `byName` (dotted names as
 * `namedModules`), then `first` (the first Linear/Conv2d the forward calls), then `byType` (the
 * layer's `typeName`: 'Linear', 'Conv2d', 'SumPool1d', ..., which minifiers leave alone, unlike
 * `constructor.name`), then `conv` / `dense` / `pool` by the family the layer is registered with. Pools default to
 * proportional redistribution; max-pools pass relevance to the window's winner; ReLU, Flatten,
 * Dropout (eval) and reshapes pass relevance through.
 */
export interface Composite {
  readonly name?: string;
  readonly first?: Rule;
  readonly conv?: Rule;
  readonly dense?: Rule;
  readonly pool?: Rule;
  readonly byType?: Readonly<Record<string, Rule>>;
  readonly byName?: Readonly<Record<string, Rule>>;
}

export type CompositeName = 'epsilon' | 'epsilonPlus' | 'epsilonGammaBox' | 'epsilonAlpha2Beta1' | 'deepTaylor';
export const compositeNames: readonly CompositeName[] = ['epsilon', 'epsilonPlus', 'epsilonGammaBox', 'epsilonAlpha2Beta1', 'deepTaylor'];

export interface CompositeOptions {
  /** LRP-epsilon's epsilon (default 1e-6). */
  epsilon?: number;
  /** Input domain [low, high] of zB (needed by 'epsilonGammaBox' and 'deepTaylor'). */
  bounds?: readonly [number, number];
  /** LRP-gamma's gamma (default 0.25). */
  gamma?: number;
}

function needBounds(name: string, bounds: readonly [number, number] | undefined): [number, number] {
  if (!bounds)
    throw new ExplainOptionsError(
      `composite '${name}' needs bounds: [low, high], the input domain of zB (e.g. [0, 1] for pixels in [0, 1])`,
    );
  const [low, high] = bounds;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) {
    throw new ExplainOptionsError(`bounds must be [low, high] with finite low < high, got [${low}, ${high}]`);
  }
  return [low, high];
}

/** The named composites of the issue (zennit's EpsilonPlus, EpsilonGammaBox, EpsilonAlpha2Beta1; Montavon et al. 2017's Deep Taylor). */
export function namedComposite(name: string, { epsilon = 1e-6, bounds, gamma = 0.25 }: CompositeOptions = {}): Composite {
  if (!(epsilon >= 0)) throw new ExplainOptionsError(`epsilon must be >= 0, got ${epsilon}`);
  if (!(gamma >= 0)) throw new ExplainOptionsError(`gamma must be >= 0, got ${gamma}`);
  const eps = epsilonRule(epsilon);
  switch (name) {
    case 'epsilon':
      return { name, conv: eps, dense: eps };
    case 'epsilonPlus':
      return { name, conv: zPlusRule(), dense: eps };
    case 'epsilonGammaBox': {
      const [low, high] = needBounds(name, bounds);
      return { name, first: zBoxRule(low, high), conv: gammaRule(gamma), dense: eps };
    }
    case 'epsilonAlpha2Beta1':
      return { name, conv: alphaBetaRule(2, 1), dense: eps };
    case 'deepTaylor': {
      const [low, high] = needBounds(name, bounds);
      return { name, first: zBoxRule(low, high), conv: zPlusRule(), dense: zPlusRule() };
    }
    default:
      throw new ExplainOptionsError(`unknown composite '${name}', expected one of ${compositeNames.join(', ')} or a Composite object`);
  }
}

/** The rule of one layer call, or null where relevance follows the layer's own gradient (max-pool, ReLU, reshape...). */
export function ruleFor(composite: Composite, module: Module, name: string, first: boolean): Rule | null {
  const kind = familyOf(module);
  const byName = composite.byName?.[name];
  if (byName) return byName;
  if (kind === null) return null;
  if (first && kind !== 'pool' && composite.first) return composite.first;
  const byType = composite.byType?.[module.typeName];
  if (byType) return byType;
  if (kind === 'pool') return composite.pool ?? proportionalRule();
  return (kind === 'conv' ? composite.conv : composite.dense) ?? null;
}

/**
 * Checks a composite against the model before anything is recorded: byName keys must name layers
 * (a typo would silently fall back to the type rule), every leaf layer must be registered with
 * LRP (`registerLrpLayer`), and every dense / conv layer must get a rule.
 */
export function checkComposite(composite: Composite, names: ReadonlyMap<Module, string>): void {
  const all = [...names.values()];
  for (const key of Object.keys(composite.byName ?? {})) {
    if (!all.includes(key))
      throw new ExplainOptionsError(
        `composite.byName names layer '${key}', which the model does not have; layers: ${all.filter(Boolean).join(', ')}`,
      );
  }
  for (const [m, name] of names) {
    if (m.children().length > 0) continue; // containers: the hook sees only their leaves
    const spec = requireLrpSpec(m, name);
    if (!('linearMap' in spec) || spec.family === 'pool') continue;
    if (ruleFor(composite, m, name, false) === null && ruleFor(composite, m, name, true) === null) {
      throw new ExplainModelError(
        `composite '${composite.name ?? 'custom'}' gives no rule for layer '${name}' (${m.typeName}); set ${spec.family}, byType or byName`,
      );
    }
  }
}
