import { LogitlabError } from '@logitlab/core';

/** Base class of every error thrown by @logitlab/losses. */
export class LossError extends LogitlabError {
  override name = 'LossError';
}

/** Input and target shapes do not fit together. */
export class LossShapeError extends LossError {
  override name = 'LossShapeError';
}

/** A tensor has the wrong dtype (class-index targets must be int32, inputs float32). */
export class LossDtypeError extends LossError {
  override name = 'LossDtypeError';
}

/** A class-index target is outside [0, C) and is not the ignore index. */
export class TargetOutOfBoundsError extends LossError {
  override name = 'TargetOutOfBoundsError';
  constructor(
    readonly target: number,
    readonly numClasses: number,
  ) {
    super(`Target ${target} is out of bounds for ${numClasses} classes`);
  }
}

/** An input value is outside the loss's domain (e.g. binaryCrossEntropy probabilities outside [0, 1]). */
export class LossValueError extends LossError {
  override name = 'LossValueError';
}

/** An option is invalid (unknown reduction, label smoothing outside [0, 1]...). */
export class LossOptionError extends LossError {
  override name = 'LossOptionError';
}
