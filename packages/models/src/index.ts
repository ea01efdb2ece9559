export { MnistConvNet, type MnistConvNetOptions, type ConvNetHead } from './convnet';
export { BnMlp, type BnMlpOptions } from './bn-mlp';
export { SumPoolExplainer, type SumPoolExplainerOptions } from './sumpool-explainer';
export {
  explain,
  type DeepTaylorExplainable,
  type DenseStage,
  type ExplainMethod,
  type ExplainOptions,
  type Explanation,
  type Conservation,
} from './explain/explain';
export { propagate } from './explain/propagate';
export { zRule, zPlusRule, zBRule, wSquareRule, inputRule, type Rule, type RuleTerm, type RuleContext, type InputRuleName } from './explain/rules';
export { Vae, type VaeOptions } from './vae';
export { Autoencoder, type AutoencoderOptions } from './autoencoder';
export { LatentModel, type LatentModelOptions, type LatentOutput, type DecoderActivation } from './latent';
export { UNetSmall, type UNetSmallOptions } from './unet';
export { MultiLabelHead, type MultiLabelHeadOptions } from './multilabel';
export { modelFactory, modelNames, isModelName, type ModelName, type ModelRegistry } from './factory';
export { ModelError, UnknownModelError, ModelOptionsError, ModelInputError } from './errors';
