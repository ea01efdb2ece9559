import { LogitlabError } from '@logitlab/core';

/** Base class of every error @logitlab/explain throws. */
export class ExplainError extends LogitlabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option has a wrong value: unknown method, composite or layer name, bad bounds, steps, window... */
export class ExplainOptionsError extends ExplainError {}

/** A target class is not an integer in [0, classes), or there is not one per sample. */
export class ExplainTargetError extends ExplainError {}

/** The input is not a batch the model accepts. */
export class ExplainInputError extends ExplainError {}

/** The model holds a layer the method cannot handle (no rule for it, a BatchNorm with no Linear/Conv to merge into). */
export class ExplainModelError extends ExplainError {}

/** The caller's `signal` was aborted; the explanation stopped between two passes and freed what it had made. */
export class ExplainAbortedError extends ExplainError {}
