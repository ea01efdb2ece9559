import { LogitlabError } from '@logitlab/core';

/** Base class of every error thrown by @logitlab/layers, so callers can catch them as one family. */
export class LayerError extends LogitlabError {
  override name = 'LayerError';
}

/** A tensor's shape (or rank) is not what the layer or state dict expects. */
export class ShapeError extends LayerError {
  override name = 'ShapeError';
}

/** loadStateDict was given keys that are missing, unexpected, or of the wrong shape. */
export class StateDictError extends LayerError {
  override name = 'StateDictError';
  constructor(
    message: string,
    readonly missingKeys: string[] = [],
    readonly unexpectedKeys: string[] = [],
  ) {
    super(message);
  }
}

/** A constructor option is out of range (a negative dropout probability, padding larger than half the kernel...). */
export class OptionError extends LayerError {
  override name = 'OptionError';
}

/** A .safetensors buffer is truncated, corrupt, or holds a dtype we cannot load. */
export class SafetensorsError extends LayerError {
  override name = 'SafetensorsError';
}

/** A model is in the wrong mode for the call (for example evaluated while BatchNorm is training). */
export class ModeError extends LayerError {
  override name = 'ModeError';
}

/** A tensor has a dtype the layer cannot compute with (PyTorch raises for an int32 input to Linear or Conv2d too). */
export class DtypeError extends LayerError {
  override name = 'DtypeError';
}

/** A module was used after `dispose()`: its parameters and buffers are freed, so it can no longer run, save or load. */
export class ModuleDisposedError extends LayerError {
  override name = 'ModuleDisposedError';
  constructor(
    readonly module: string,
    readonly operation: string,
  ) {
    super(`${module}.${operation}(): the module was disposed; its parameters are freed, so build (or load) a new model instead`);
  }
}

/** A module was called with a tensor already freed (by its `dispose()`, or by the `tf.tidy` it was made in). */
export class DisposedInputError extends LayerError {
  override name = 'DisposedInputError';
  constructor(
    readonly module: string,
    /** The input as it was: dtype and shape (both survive disposal). */
    readonly input: string,
  ) {
    super(
      `${module}.call(x): x (${input}) is a disposed tensor; expected a live one (a tensor made inside a tf.tidy is freed when the tidy returns)`,
    );
  }
}
