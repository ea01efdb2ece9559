import { replayable } from '@logitlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { Module, ShapeError } from '@logitlab/layers';
import { Container } from './layers/container';

/** One operation of the imported graph: reads slots, writes one. Layers run through `call`, so hooks see them. */
export interface Step {
  readonly inputs: readonly number[];
  readonly output: number;
  readonly run: (xs: tf.Tensor[]) => tf.Tensor;
}

/** What the import changed or could not map one to one, for the user to read (never silently). */
export interface ImportReport {
  /** Parameters whose ONNX initializer name is not `<layer>.<param>` (folded or renamed by the exporter): the state-dict key used instead. */
  readonly renamed: { initializer: string; key: string }[];
  /** Initializers used as constants (normalisation tensors, folded shapes), so not in stateDict(). */
  readonly constants: string[];
  /** Other things worth knowing (e.g. num_batches_tracked is not in ONNX files and starts at 0). */
  readonly notes: string[];
}

export interface GraphSpec {
  readonly steps: readonly Step[];
  readonly slots: number;
  readonly outputSlot: number;
  /** The input a batch must have, without the batch axis, in logitlab's layout (NHWC for images). */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly report: ImportReport;
  readonly opset: number;
  readonly producer: string;
  /** Constant tensors the steps read; freed by dispose(). */
  readonly kept: readonly tf.Tensor[];
}

/**
 * A model imported from ONNX: its layers are ordinary @logitlab/layers modules at PyTorch's state-dict
 * paths, and `forward` runs the graph's steps in topological order (residual adds and skip
 * connections are real edges). Images go in NHWC, as everywhere in logitlab.
 */
export class GraphModule extends Module {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly report: ImportReport;
  readonly opset: number;
  readonly producer: string;
  private readonly steps: readonly Step[];
  private readonly slots: number;
  private readonly outputSlot: number;
  private readonly kept: readonly tf.Tensor[];

  constructor(root: Container, spec: GraphSpec) {
    super();
    for (const [name, child] of root.children()) this.registerModule(name, child);
    ({ steps: this.steps, slots: this.slots, outputSlot: this.outputSlot } = spec);
    this.inputShape = spec.inputShape;
    this.outputShape = spec.outputShape;
    this.report = spec.report;
    this.opset = spec.opset;
    this.producer = spec.producer;
    this.kept = spec.kept;
  }

  override get typeName(): string {
    return 'GraphModule';
  }

  override extraRepr(): string {
    return `input=[N, ${this.inputShape.join(', ')}], opset=${this.opset}`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const want = this.inputShape;
    if (x.rank !== want.length + 1 || want.some((d, i) => x.shape[i + 1] !== d)) {
      throw new ShapeError(`GraphModule expects input [N, ${want.join(', ')}] (NHWC for images), got [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const env: (tf.Tensor | undefined)[] = Array.from({ length: this.slots });
      env[0] = x;
      for (const step of this.steps) env[step.output] = step.run(step.inputs.map((i) => env[i] as tf.Tensor));
      const out = env[this.outputSlot] as tf.Tensor;
      return out === x ? tf.clone(x) : out;
    });
  }

  override dispose(): void {
    tf.dispose([...this.kept]);
    super.dispose();
  }
}

// tensor-only forwards: a compiled step or evaluation may replay them (a host read inside falls back, with its reason)
replayable(GraphModule.prototype.forward);
