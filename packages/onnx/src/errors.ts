import { LogitlabError } from '@logitlab/core';

/** Base class of every error @logitlab/onnx throws. */
export class OnnxError extends LogitlabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An .onnx file that cannot be imported: malformed or truncated bytes, a hostile size, a cycle, an
 * unknown input, an unsupported operator or attribute. `node` names the graph node (or the initializer
 * or field) at fault, when there is one.
 */
export class OnnxImportError extends OnnxError {
  constructor(
    message: string,
    readonly node?: string,
    options?: { cause?: unknown },
  ) {
    super(node === undefined ? message : `${node}: ${message}`, options);
  }
}
