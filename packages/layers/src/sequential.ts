import type * as tf from '@tensorflow/tfjs-core';
import { Module } from './module';
import { replayable } from '@logitlab/core';

/**
 * Chains modules. `new Sequential(a, b, c)` names children '0', '1', '2' (PyTorch's keys such as
 * `0.weight`); `new Sequential({ conv: a, act: b })` keeps the given names.
 */
export class Sequential extends Module {
  private readonly layers: Module[] = [];

  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0];
    const named: [string, Module][] =
      modules.length === 1 && first !== undefined && !(first instanceof Module)
        ? Object.entries(first)
        : (modules as Module[]).map((m, i) => [String(i), m]);
    for (const [name, m] of named) this.layers.push(this.registerModule(name, m));
  }

  override get typeName(): string {
    return 'Sequential';
  }

  get length(): number {
    return this.layers.length;
  }

  /** The i-th module (negative counts from the end). */
  at(i: number): Module | undefined {
    return this.layers.at(i);
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  forward(x: tf.Tensor): tf.Tensor {
    // each intermediate is freed as soon as the next layer has consumed it; the input stays the caller's
    let out = x;
    for (const layer of this.layers) {
      const next = layer.call(out);
      // a module may hand back its input unchanged; only free what is no longer referenced
      if (out !== x && next !== out) out.dispose();
      out = next;
    }
    return out === x ? out.clone() : out;
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(Sequential.prototype.forward);
