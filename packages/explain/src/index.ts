export { explain, type Method, type ExplainOptions, type Explanation, type Conservation } from './explain';
export { namedComposite, compositeNames, type Composite, type CompositeName, type CompositeOptions } from './composites';
export {
  epsilonRule,
  zPlusRule,
  gammaRule,
  zBoxRule,
  alphaBetaRule,
  proportionalRule,
  wSquareRule,
  type Rule,
  type RuleGroup,
  type RuleTerm,
} from './rules';
export { propagate } from './propagate';
export { linearMap } from './linear-maps';
export { registerLrpLayer } from './lrp-registry';
export type { LinearMap, Params, LayerFamily, ChannelAffine, LrpLayerSpec } from './lrp-spec';
export { normalNoise, type Attribution } from './gradients';
export { registerMethod, attributionMethods, attributionMethod, methodNames } from './methods/registry';
export type { AttributionMethod, MethodAttribution, MethodOption, Conserves } from './methods/method';
export { forwardScores, backward, type Session, type Scores } from './session';
export type { OutputChoice, LayerHook, LayerCall } from './forward';
export { ExplainError, ExplainOptionsError, ExplainTargetError, ExplainInputError, ExplainModelError } from './errors';
export {
  scoreFunction,
  randomisationCheck,
  type ScoreFunctionOptions,
  type RandomisationOptions,
  type RandomisationStep,
} from './evaluation';
