export { explain, type Method, type ExplainOptions, type Explanation, type Conservation } from './explain';
export type { GradCamUpsample } from './gradcam';
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
export { linearMap } from './linear-maps';
export { registerLrpLayer } from './lrp-registry';
export type { LinearMap, Params, LayerFamily, ChannelAffine, LrpLayerSpec } from './lrp-spec';
export { MAX_IG_STEPS, type Attribution } from './gradients';
export { normalNoise, MAX_SMOOTHGRAD_SAMPLES } from './smooth-grad';
export { MAX_OCCLUSION_SAMPLES } from './occlusion';
export { registerMethod, attributionMethods, attributionMethod, methodNames } from './methods/registry';
export type { AttributionMethod, MethodAttribution, MethodOption, Conserves } from './methods/method';
export { forwardScores, backward, type Session, type Scores } from './session';
export type { OutputChoice, LayerHook, LayerCall } from './forward';
export { ExplainError, ExplainOptionsError, ExplainTargetError, ExplainInputError, ExplainModelError, ExplainAbortedError } from './errors';
export {
  scoreFunction,
  randomisationCheck,
  type ScoreFunctionOptions,
  type RandomisationOptions,
  type RandomisationStep,
} from './evaluation';
export { explainDataset, type ExplainDatasetOptions, type ExplainDatasetSummary } from './dataset/explain-dataset';
export { methodLabel, parseMethodSpec, type MethodSpec } from './dataset/method-spec';
export { withInputShift } from './dataset/input-shift';
export type { BatchResult, BatchSource, DatasetProgress, DatasetTimings, SampleResult } from './dataset/types';
