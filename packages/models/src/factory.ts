import type { Module } from '@logitlab/layers';
import { Autoencoder, type AutoencoderOptions } from './autoencoder';
import { BnMlp, type BnMlpOptions } from './bn-mlp';
import { MnistConvNet, type MnistConvNetOptions } from './convnet';
import { UnknownModelError } from './errors';
import { MultiLabelHead, type MultiLabelHeadOptions } from './multilabel';
import { SumPoolExplainer, type SumPoolExplainerOptions } from './sumpool-explainer';
import { UNetSmall, type UNetSmallOptions } from './unet';
import { Vae, type VaeOptions } from './vae';

/** Every model the CLI and the web app can build by name, with its options and class. */
export interface ModelRegistry {
  convnet: { options: MnistConvNetOptions; model: MnistConvNet };
  'bn-mlp': { options: BnMlpOptions; model: BnMlp };
  sumpool: { options: SumPoolExplainerOptions; model: SumPoolExplainer };
  vae: { options: VaeOptions; model: Vae };
  autoencoder: { options: AutoencoderOptions; model: Autoencoder };
  unet: { options: UNetSmallOptions; model: UNetSmall };
  multilabel: { options: MultiLabelHeadOptions; model: MultiLabelHead };
}

export type ModelName = keyof ModelRegistry;

const builders: { [K in ModelName]: (options: ModelRegistry[K]['options']) => ModelRegistry[K]['model'] } = {
  convnet: (o) => new MnistConvNet(o),
  'bn-mlp': (o) => new BnMlp(o),
  sumpool: (o) => new SumPoolExplainer(o),
  vae: (o) => new Vae(o),
  autoencoder: (o) => new Autoencoder(o),
  unet: (o) => new UNetSmall(o),
  multilabel: (o) => new MultiLabelHead(o),
};

/** The names `modelFactory` accepts, in a stable order (for --help texts and pickers). */
export const modelNames: readonly ModelName[] = Object.keys(builders) as ModelName[];

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(builders, name);
}

/**
 * Builds a model by name: `modelFactory('convnet', { head: 'logits' })`. Initial weights come from
 * the global generator (`manualSeed` in @logitlab/layers). Unknown names throw UnknownModelError,
 * which lists the known ones.
 */
export function modelFactory<K extends ModelName>(name: K, options?: ModelRegistry[K]['options']): ModelRegistry[K]['model'];
export function modelFactory(name: string, options?: object): Module;
export function modelFactory(name: string, options: object = {}): Module {
  if (!isModelName(name)) throw new UnknownModelError(name, modelNames);
  const build = builders[name] as (o: object) => Module;
  return build(options);
}
