export { crossEntropy, type CrossEntropyOptions } from './cross-entropy';
export { nllLoss, type NllLossOptions } from './nll';
export { logSoftmax, softmax } from './softmax';
export { binaryCrossEntropyWithLogits, binaryCrossEntropy, type BceWithLogitsOptions, type BceOptions } from './bce';
export { mseLoss, l1Loss, type ReductionOptions } from './regression';
export { klDiv, gaussianKl, type KlDivOptions, type GaussianKlOptions } from './kl';
export { vaeLoss, type VaeLossInputs, type VaeLossOptions, type VaeLossResult } from './vae';
export type { Reduction } from './reduce';
export { LossError, LossShapeError, LossDtypeError, TargetOutOfBoundsError, LossValueError, LossOptionError } from './errors';
export {
  setPitfallWarnings,
  pitfallWarningsEnabled,
  setPitfallWarningSink,
  resetPitfallWarnings,
  type PitfallSink,
} from '@logitlab/core';
