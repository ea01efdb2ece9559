import { LogitlabError } from '@logitlab/core';

/** Base class of every error @logitlab/onnx throws. */
export class OnnxError extends LogitlabError {
  // a literal, not the class's own name: a browser build's minifier renames classes (the web tab read 'j')
  override name = 'OnnxError';
}

/**
 * An .onnx file that cannot be imported: malformed or truncated bytes, a hostile size, a cycle, an
 * unknown input, an unsupported operator or attribute. `node` names the graph node (or the initializer
 * or field) at fault, when there is one.
 */
export class OnnxImportError extends OnnxError {
  override name = 'OnnxImportError';

  constructor(
    message: string,
    readonly node?: string,
    options?: { cause?: unknown },
  ) {
    super(node === undefined ? message : `${node}: ${message}`, options);
  }
}
