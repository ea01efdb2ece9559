import { LogitlabError } from '@logitlab/core';

// Each class writes its name as a literal, not new.target.name: a browser build's minifier renames
// classes, and the web's explain tab would then print an ExplainOptionsError as 'j' (onnx's errors had that bug).

/** Base class of every error @logitlab/explain throws. */
export class ExplainError extends LogitlabError {
  override name = 'ExplainError';
}

/** An option has a wrong value: unknown method, composite or layer name, bad bounds, steps, window... */
export class ExplainOptionsError extends ExplainError {
  override name = 'ExplainOptionsError';
}

/** A target class is not an integer in [0, classes), or there is not one per sample. */
export class ExplainTargetError extends ExplainError {
  override name = 'ExplainTargetError';
}

/** The input is not a batch the model accepts. */
export class ExplainInputError extends ExplainError {
  override name = 'ExplainInputError';
}

/** The model holds a layer the method cannot handle (no rule for it, a BatchNorm with no Linear/Conv to merge into). */
export class ExplainModelError extends ExplainError {
  override name = 'ExplainModelError';
}

/** The caller's `signal` was aborted; the explanation stopped between two passes and freed what it had made. */
export class ExplainAbortedError extends ExplainError {
  override name = 'ExplainAbortedError';
}
