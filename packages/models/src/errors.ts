import { LogitlabError } from '@logitlab/core';

/** Base class of every error thrown by @logitlab/models, so callers can catch them as one family. */
export class ModelError extends LogitlabError {
  override name = 'ModelError';
}

/** `modelFactory` was asked for a name it does not know. */
export class UnknownModelError extends ModelError {
  override name = 'UnknownModelError';
  constructor(
    readonly modelName: string,
    readonly known: readonly string[],
  ) {
    super(`Unknown model '${modelName}': expected one of ${known.map((k) => `'${k}'`).join(', ')}`);
  }
}

/** A model was given options outside what it supports (bad sizes, unknown head, bad probability). */
export class ModelOptionsError extends ModelError {
  override name = 'ModelOptionsError';
}

/** A model was called with an input whose shape it cannot take. */
export class ModelInputError extends ModelError {
  override name = 'ModelInputError';
}
