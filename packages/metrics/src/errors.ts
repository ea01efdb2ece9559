import { LogitlabError } from '@logitlab/core';

/** Thrown when a metric's inputs have the wrong length, range or type; the message names the value and what was expected. */
export class MetricInputError extends LogitlabError {
  override name = 'MetricInputError';
}

/** The caller's AbortSignal was aborted during a long evaluation (pixelFlipping); the partial result is dropped. */
export class MetricAbortedError extends LogitlabError {
  override name = 'MetricAbortedError';
}

/** Thrown when a localisation metric is asked for on data without ground-truth masks. */
export class MissingMasksError extends MetricInputError {
  override name = 'MissingMasksError';
}
