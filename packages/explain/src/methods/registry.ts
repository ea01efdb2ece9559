import { ExplainOptionsError } from '../errors';
import { builtinMethods } from './list';
import type { AttributionMethod, Conserves } from './method';

/**
 * The one table of attribution methods, by name, in registration order (the built-ins first, applied
 * lazily so a bundler's tree-shaking cannot drop them). Everything that lists methods reads it: explain()
 * dispatch, the CLI's choices, the web's menus, the README's table.
 */
const byName = new Map<string, AttributionMethod>();
let builtinsApplied = false;

function applyBuiltins(): void {
  if (builtinsApplied) return;
  builtinsApplied = true;
  for (const m of builtinMethods) byName.set(m.name, m as unknown as AttributionMethod);
}

const CONSERVES: readonly Conserves[] = ['score', 'scoreDifference', 'none'];

function check(method: AttributionMethod<never>): void {
  if (method === null || typeof method !== 'object')
    throw new ExplainOptionsError(`registerMethod needs a method object, got ${String(method)}`);
  const { name } = method;
  if (typeof name !== 'string' || !/^[A-Za-z][\w-]*$/.test(name)) {
    throw new ExplainOptionsError(`registerMethod: name must be an identifier such as 'myMethod', got ${JSON.stringify(name)}`);
  }
  if (typeof method.attribute !== 'function') {
    throw new ExplainOptionsError(`registerMethod('${name}'): attribute must be a function, got ${typeof method.attribute}`);
  }
  if (method.attributeAsync !== undefined && typeof method.attributeAsync !== 'function') {
    throw new ExplainOptionsError(
      `registerMethod('${name}'): attributeAsync must be a function or absent, got ${typeof method.attributeAsync}`,
    );
  }
  if (!CONSERVES.includes(method.conserves)) {
    throw new ExplainOptionsError(
      `registerMethod('${name}'): conserves must be one of ${CONSERVES.join(', ')}, got ${JSON.stringify(method.conserves)}`,
    );
  }
  if (!Array.isArray(method.options) || typeof method.label !== 'string' || typeof method.summary !== 'string') {
    throw new ExplainOptionsError(`registerMethod('${name}'): label and summary must be strings and options an array`);
  }
}

/** Adds an attribution method that `explain(model, x, { method: name })` then runs; registering a name again replaces it. */
export function registerMethod<O extends object>(method: AttributionMethod<O>): void {
  check(method as unknown as AttributionMethod<never>);
  applyBuiltins();
  byName.set(method.name, method as unknown as AttributionMethod);
}

/** Every registered method, built-ins first. */
export function attributionMethods(): readonly AttributionMethod[] {
  applyBuiltins();
  return [...byName.values()];
}

/** The registered method names, in registration order. */
export function methodNames(): string[] {
  return attributionMethods().map((m) => m.name);
}

/** The method called `name`, or a typed error listing the registered names. */
export function attributionMethod(name: unknown): AttributionMethod {
  applyBuiltins();
  const method = typeof name === 'string' ? byName.get(name) : undefined;
  if (!method) throw new ExplainOptionsError(`unknown method '${String(name)}', expected one of ${methodNames().join(', ')}`);
  return method;
}
