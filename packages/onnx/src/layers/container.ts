import { replayable } from '@logitlab/core';
import type * as tf from '@tensorflow/tfjs-core';
import { Module } from '@logitlab/layers';
import { OnnxError } from '../errors';

/**
 * A namespace in the module tree (PyTorch's `layer1`, `layer1.0`): it holds children so that state-dict
 * keys get PyTorch's dotted prefixes. The graph runs the children, so calling it alone is an error.
 */
export class Container extends Module {
  constructor(private readonly label: string) {
    super();
  }

  override get typeName(): string {
    return 'Module';
  }

  add<M extends Module>(name: string, child: M): M {
    return this.registerModule(name, child);
  }

  forward(_x: tf.Tensor): tf.Tensor {
    throw new OnnxError(`'${this.label}' only groups the imported layers below it; run the GraphModule that holds it`);
  }
}

// tensor-only forwards: a compiled step or evaluation may replay them (a host read inside falls back, with its reason)
replayable(Container.prototype.forward);
