import { compositeNames, type CompositeName } from '../composites';
import { ExplainOptionsError } from '../errors';
import type { ExplainOptions, Method } from '../explain';
import { methodNames } from '../methods/registry';

/** One explanation method of a dataset run; `options` are passed to `explain` as they are (bounds, steps, ...). */
export interface MethodSpec {
  method: Method;
  /** lrp only: the named composite. */
  composite?: CompositeName;
  options?: Omit<ExplainOptions, 'method' | 'composite' | 'target'>;
}

/** The spec's name in results and reports: 'lrp:epsilonPlus', 'integratedGradients'. */
export function methodLabel(spec: MethodSpec): string {
  return spec.composite ? `${spec.method}:${spec.composite}` : spec.method;
}

/**
 * Parses 'lrp:epsilonPlus' or 'integratedGradients' (the CLI's --methods entries); the names are read
 * from explain's registries, and an unknown one is an `ExplainOptionsError` naming the known ones.
 */
export function parseMethodSpec(text: string): MethodSpec {
  const [method, composite, ...rest] = text.trim().split(':');
  const methods = methodNames();
  if (method === undefined || !methods.includes(method))
    throw new ExplainOptionsError(`unknown method '${method}' in '${text}'; expected one of ${methods.join(', ')}`);
  if (rest.length > 0) throw new ExplainOptionsError(`'${text}' has more than one ':'; expected method or lrp:composite`);
  if (composite === undefined) return { method: method as Method };
  if (method !== 'lrp') throw new ExplainOptionsError(`'${text}': only lrp takes a composite (lrp:${composite})`);
  if (!compositeNames.includes(composite as CompositeName)) {
    throw new ExplainOptionsError(`unknown composite '${composite}' in '${text}'; expected one of ${compositeNames.join(', ')}`);
  }
  return { method: 'lrp', composite: composite as CompositeName };
}
