export { explain, methods, type Method, type ExplainOptions, type Explanation, type Conservation } from './explain';
export { explainAsync, readAheadMethods } from './explain-async';
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
export { linearMap, type LinearMap } from './linear-maps';
export { normalNoise } from './gradients';
export type { OutputChoice } from './forward';
export { ExplainError, ExplainOptionsError, ExplainTargetError, ExplainInputError, ExplainModelError } from './errors';
export {
  scoreFunction,
  randomisationCheck,
  type ScoreFunctionOptions,
  type RandomisationOptions,
  type RandomisationStep,
} from './evaluation';
