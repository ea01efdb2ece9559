import type { Module } from '@logitlab/layers';
import { builtinLrpLayers } from './builtin-layers';
import { ExplainModelError, ExplainOptionsError } from './errors';
import type { LayerFamily, LrpLayerSpec } from './lrp-spec';

/**
 * The one table of how LRP sees each layer class, keyed by the class's prototype: lookup walks the
 * instance's prototype chain, so a subclass inherits its parent's spec and nothing depends on
 * `constructor.name` (which minifiers mangle). The built-in layers are applied lazily, on the first
 * registration or lookup, so a bundler that drops unused modules (`sideEffects: false`) cannot drop
 * them, and a user's registration of a built-in class replaces the built-in one.
 */
const specs = new Map<object, LrpLayerSpec<Module>>();
let builtinsApplied = false;

function applyBuiltins(): void {
  if (builtinsApplied) return;
  builtinsApplied = true;
  for (const { layerClass, spec } of builtinLrpLayers) specs.set(layerClass.prototype as object, spec);
}

const FAMILIES: readonly LayerFamily[] = ['dense', 'conv', 'pool'];
const KINDS = ['linearMap', 'passThrough', 'followGradient', 'normalisation'] as const;

function checkSpec(name: string, spec: unknown): void {
  const kinds = spec !== null && typeof spec === 'object' ? KINDS.filter((k) => k in spec) : [];
  if (kinds.length !== 1) {
    throw new ExplainOptionsError(
      `registerLrpLayer(${name}): the spec must hold exactly one of ${KINDS.join(', ')}, got ${kinds.length ? kinds.join(' and ') : JSON.stringify(spec)}`,
    );
  }
  const s = spec as Record<string, unknown>;
  const kind = kinds[0]!;
  if ((kind === 'linearMap' || kind === 'normalisation') && typeof s[kind] !== 'function') {
    throw new ExplainOptionsError(`registerLrpLayer(${name}): ${kind} must be a function, got ${typeof s[kind]}`);
  }
  if ((kind === 'passThrough' || kind === 'followGradient') && s[kind] !== true) {
    throw new ExplainOptionsError(`registerLrpLayer(${name}): ${kind} must be true, got ${JSON.stringify(s[kind])}`);
  }
  if (kind === 'linearMap' && !FAMILIES.includes(s.family as LayerFamily)) {
    throw new ExplainOptionsError(
      `registerLrpLayer(${name}): family must be one of ${FAMILIES.join(', ')}, got ${JSON.stringify(s.family)}`,
    );
  }
}

/**
 * Tells LRP how to see a layer class (and its subclasses), so a model using it can be explained
 * without editing @logitlab/explain. Registering a class again replaces its spec.
 */
export function registerLrpLayer<L extends Module>(layerClass: abstract new (...args: never[]) => L, spec: LrpLayerSpec<L>): void {
  if (typeof layerClass !== 'function' || typeof layerClass.prototype !== 'object' || layerClass.prototype === null) {
    throw new ExplainOptionsError(`registerLrpLayer needs a layer class, got ${layerClass === null ? 'null' : typeof layerClass}`);
  }
  checkSpec(layerClass.name || 'anonymous class', spec);
  applyBuiltins();
  specs.set(layerClass.prototype as object, spec as unknown as LrpLayerSpec<Module>);
}

/** The spec registered for this module's class or its nearest registered ancestor; undefined for none. */
export function lrpSpecOf(module: Module): LrpLayerSpec<Module> | undefined {
  applyBuiltins();
  for (let p: object | null = Object.getPrototypeOf(module) as object | null; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    const spec = specs.get(p);
    if (spec) return spec;
  }
  return undefined;
}

/** The spec of a layer LRP must see, or a typed error naming the layer and how to register it. */
export function requireLrpSpec(module: Module, name: string): LrpLayerSpec<Module> {
  const spec = lrpSpecOf(module);
  if (spec) return spec;
  const type = module.typeName;
  throw new ExplainModelError(
    `LRP does not know layer '${name}' (${type}): register it with registerLrpLayer(${type}, spec) from @logitlab/explain, ` +
      `where spec is { linearMap, family } for a linear layer, { passThrough: true } for an element-wise activation, ` +
      `or { followGradient: true } where relevance may follow the layer's own gradient (reshapes, max-pooling)`,
  );
}

/** The family of a module registered as a linear map, else null. */
export function familyOf(module: Module): LayerFamily | null {
  const spec = lrpSpecOf(module);
  return spec && 'linearMap' in spec ? spec.family : null;
}
