import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Dropout2d,
  Flatten,
  Identity,
  Linear,
  LogSoftmax,
  MaxPool2d,
  type Module,
  ReLU,
  Sigmoid,
  Softmax,
  SumPool1d,
  SumPool2d,
  Tanh,
} from '@logitlab/layers';
import { avgPoolMap, batchNormAffine, convMap, denseMap, sumPool1dMap, windowSumMap } from './builtin-maps';
import type { LrpLayerSpec } from './lrp-spec';

/** One registration: a layer class and how LRP sees it (the registry applies each with `registerLrpLayer`). */
export interface LrpLayerEntry<L extends Module = Module> {
  readonly layerClass: abstract new (...args: never[]) => L;
  readonly spec: LrpLayerSpec<L>;
}

const entry = <L extends Module>(layerClass: abstract new (...args: never[]) => L, spec: LrpLayerSpec<L>): LrpLayerEntry =>
  ({ layerClass, spec }) as unknown as LrpLayerEntry;

/**
 * How LRP sees every layer of @logitlab/layers: the same registrations a layer from outside the repo
 * makes with `registerLrpLayer` (a layer that is not here, nor registered, is refused by name).
 * Containers (Sequential, models) are not listed: the hook sees only leaf modules.
 */
export const builtinLrpLayers: readonly LrpLayerEntry[] = [
  entry(Linear, { family: 'dense', linearMap: (m, p) => denseMap(p ?? { weight: m.weight, bias: m.bias }) }),
  entry(Conv2d, { family: 'conv', linearMap: (m, p) => convMap(m, p ?? { weight: m.weight, bias: m.bias }) }),
  entry(SumPool1d, { family: 'pool', linearMap: (m) => sumPool1dMap(m.size) }),
  entry(SumPool2d, { family: 'pool', linearMap: (m) => windowSumMap(m.size, m.size) }),
  entry(AvgPool2d, { family: 'pool', linearMap: avgPoolMap }),
  entry(ReLU, { passThrough: true }),
  entry(Tanh, { passThrough: true }),
  entry(Sigmoid, { passThrough: true, head: true }),
  entry(Softmax, { followGradient: true, head: true }),
  entry(LogSoftmax, { followGradient: true, head: true }),
  entry(MaxPool2d, { followGradient: true }),
  entry(Flatten, { followGradient: true }),
  entry(Dropout, { followGradient: true, identityInEval: true }),
  entry(Dropout2d, { followGradient: true, identityInEval: true }),
  entry(Identity, { followGradient: true, identityInEval: true }),
  entry(BatchNorm1d, { normalisation: batchNormAffine }),
  entry(BatchNorm2d, { normalisation: batchNormAffine }),
];
