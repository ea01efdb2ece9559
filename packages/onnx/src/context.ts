import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@logitlab/layers';
import { OnnxImportError } from './errors';
import type { Const, Runtime, Value } from './fold/value';
import type { ImportReport, Step } from './graph-module';
import type { ModuleTree } from './names';
import type { Attributes } from './proto/attributes';

/** NCHW axis -> its position in the NHWC tensor that holds it. */
export const NHWC_AXIS = [0, 3, 1, 2] as const;

/** Largest intermediate an imported graph may make (elements of one tensor at batch 1). */
const MAX_ACTIVATION = 1 << 26;

/**
 * What a converter needs while it turns one ONNX node into steps and layers: the node's inputs
 * (constants or computed values with their ONNX shapes), and ways to add a layer or a step. Every step
 * runs once at import on a probe batch of one, which gives each new value its shape.
 */
export class ImportContext {
  constructor(
    readonly where: string,
    readonly attrs: Attributes,
    readonly inputs: readonly (Value | null)[],
    readonly opset: number,
    readonly scope: string,
    readonly op: string,
    private readonly graph: GraphBuilder,
  ) {}

  fail(message: string): never {
    throw new OnnxImportError(message, this.where);
  }

  /** Input i, which must be computed at run time. */
  runtime(i: number): Runtime {
    const v = this.inputs[i];
    if (!v) this.fail(`input ${i} is missing`);
    if (v.kind !== 'runtime') this.fail(`input ${i} is a constant; expected a computed tensor`);
    return v;
  }

  /** Input i, which must be a constant (an initializer, a Constant, a folded shape). */
  constant(i: number): Const {
    const v = this.inputs[i];
    if (!v) this.fail(`input ${i} is missing`);
    if (v.kind !== 'const') this.fail(`input ${i} must be a constant known at import time`);
    return v;
  }

  optionalConstant(i: number): Const | null {
    return this.inputs[i] ? this.constant(i) : null;
  }

  /** A layer at a PyTorch module path: `preferred` (from the parameters' names) or the node's scope. */
  layer<M extends Module>(layer: M, preferred?: string | null): M {
    layer.eval();
    const tree = this.graph.tree;
    const path = preferred ? tree.unique(preferred, { claimed: true }) : tree.unique(this.scope, { op: this.op });
    return tree.place(path, layer);
  }

  /** A step computing a new value from runtime values; returns it with its probed shape. */
  step(inputs: readonly Runtime[], layout: Runtime['layout'], run: (xs: tf.Tensor[]) => tf.Tensor): Runtime {
    return this.graph.addStep(inputs, layout, run, this.where);
  }

  /** A constant as a float32 tensor the model keeps (freed with it). */
  tensor(c: Const, shape: readonly number[] = c.dims): tf.Tensor {
    return this.keep(this.scratch(c, shape));
  }

  /** A constant as a float32 tensor the caller frees (or keeps). */
  scratch(c: Const, shape: readonly number[] = c.dims): tf.Tensor {
    return tf.tensor(c.dtype === 'float32' ? c.data : Float32Array.from(c.data), [...shape], 'float32');
  }

  keep(t: tf.Tensor): tf.Tensor {
    return this.graph.keep(t);
  }

  /** The value held channels-last (a rank-4 ONNX value), transposing once if it is not yet. */
  nhwc(v: Runtime): Runtime {
    if (v.layout === 'nhwc') return v;
    if (v.dims.length !== 4) this.fail(`expected a 4-d (NCHW) input, got dims [${v.dims.join(', ')}]`);
    return this.step([v], 'nhwc', ([x]) => tf.transpose(x!, [0, 2, 3, 1]));
  }

  /** The value held in ONNX's own axis order. */
  onnx(v: Runtime): Runtime {
    if (v.layout === 'onnx') return v;
    return this.step([v], 'onnx', ([x]) => tf.transpose(x!, [0, 3, 1, 2]));
  }

  /** The axis of a held tensor that holds ONNX axis `a` of `v`. */
  heldAxis(v: Runtime, a: number): number {
    const rank = v.dims.length;
    const r = a < 0 ? a + rank : a;
    if (!(r >= 0 && r < rank)) this.fail(`axis ${a} is out of range for rank ${rank}`);
    return v.layout === 'nhwc' ? NHWC_AXIS[r]! : r;
  }

  /** The dotted path the tree gave `layer`. */
  pathOf(layer: Module): string {
    return this.graph.tree.pathOf(layer);
  }

  report(): ImportReport {
    return this.graph.report;
  }
}

/** The growing graph: slots, steps, kept constants, the module tree and the probe values. */
export class GraphBuilder {
  readonly steps: Step[] = [];
  readonly kept: tf.Tensor[] = [];
  readonly probes: tf.Tensor[] = [];
  readonly report: ImportReport = { renamed: [], constants: [], notes: [] };

  constructor(readonly tree: ModuleTree) {}

  keep(t: tf.Tensor): tf.Tensor {
    this.kept.push(t);
    return t;
  }

  input(probe: tf.Tensor, dims: readonly number[], layout: Runtime['layout']): Runtime {
    this.probes.push(probe);
    return { kind: 'runtime', slot: 0, dims, layout };
  }

  addStep(inputs: readonly Runtime[], layout: Runtime['layout'], run: (xs: tf.Tensor[]) => tf.Tensor, where: string): Runtime {
    const slot = this.probes.length;
    let out: tf.Tensor;
    try {
      out = tf.tidy(() => run(inputs.map((v) => this.probes[v.slot]!)));
    } catch (e) {
      if (e instanceof OnnxImportError) throw e;
      throw new OnnxImportError(
        `does not run on inputs of dims ${inputs.map((v) => `[${v.dims.join(', ')}]`).join(', ')}: ${(e as Error).message}`,
        where,
        {
          cause: e,
        },
      );
    }
    // a step may hand back one of its inputs (a no-op reshape); the probe list must own each tensor once
    if (this.probes.includes(out)) out = tf.clone(out);
    this.probes.push(out);
    if (out.size > MAX_ACTIVATION)
      throw new OnnxImportError(`makes a tensor of ${out.size} elements per sample, more than ${MAX_ACTIVATION}`, where);
    if (layout === 'nhwc' && out.rank !== 4) throw new OnnxImportError(`made a rank-${out.rank} tensor where NHWC was expected`, where);
    const held = out.shape;
    const dims = layout === 'nhwc' ? [held[0]!, held[3]!, held[1]!, held[2]!] : [...held];
    this.steps.push({ inputs: inputs.map((v) => v.slot), output: slot, run });
    return { kind: 'runtime', slot, dims, layout };
  }

  dispose(): void {
    tf.dispose(this.probes);
  }
}
