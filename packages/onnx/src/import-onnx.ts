import * as tf from '@tensorflow/tfjs-core';
import { GraphBuilder, ImportContext } from './context';
import { OnnxImportError } from './errors';
import { FOLDERS } from './fold/fold';
import type { Const, Runtime, Value } from './fold/value';
import { GraphModule } from './graph-module';
import { ModuleTree, scopePath } from './names';
import { CONVERTERS } from './ops/registry';
import { Attributes } from './proto/attributes';
import { decodeModel, int64 } from './proto/decode';
import { readTensor } from './proto/tensor';
import type { GraphProto, ModelProto, NodeProto, ValueInfoProto } from './proto/types';
import { nodeLabel, topologicalOrder } from './topology';

export interface ImportOptions {
  /**
   * The input's shape without the batch axis in logitlab's layout (NHWC for images, e.g. [28, 28, 1]),
   * for a model exported with symbolic height or width. Defaults to the file's declared shape.
   */
  inputShape?: number[];
}

/** The operator set versions this importer implements (and its tests export). */
export const OPSET_RANGE = [11, 17] as const;
/** More nodes than any model this library can hold; checked before the graph is walked. */
const MAX_NODES = 50_000;

/** Every operator importOnnx accepts: the ones it runs and the ones it folds at import. */
export function supportedOperators(): string[] {
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
  return [...new Set([...Object.keys(CONVERTERS), ...Object.keys(FOLDERS)])].sort();
}

/**
 * Imports an ONNX model (as `torch.onnx.export(model, x, f, training=torch.onnx.TrainingMode.PRESERVE,
 * do_constant_folding=False)` writes it) as a GraphModule of @logitlab/layers layers whose stateDict()
 * keys are PyTorch's. Images go in NHWC; the NCHW graph is converted (weights, flatten order, axes).
 * Anything the importer cannot take is an OnnxImportError naming the node or field; nothing leaks.
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): GraphModule {
  const model = decodeModel(bytes);
  const graph = model.graph as GraphProto;
  const opset = opsetOf(model);
  if (graph.node.length > MAX_NODES) throw new OnnxImportError(`the graph has ${graph.node.length} nodes, more than ${MAX_NODES}`);
  const consts = new Map<string, Const>();
  for (const [i, t] of graph.initializer.entries()) {
    const where = t.name ? `initializer '${t.name}'` : `initializer #${i}`;
    if (!t.name) throw new OnnxImportError('an initializer has no name', where);
    if (consts.has(t.name)) throw new OnnxImportError('the name is used by two initializers', where);
    consts.set(t.name, readTensor(t, where));
  }
  const inputs = graph.input.filter((v) => !consts.has(v.name));
  if (inputs.length !== 1) {
    throw new OnnxImportError(
      `the graph has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); GraphModule takes exactly one`,
    );
  }
  if (graph.output.length !== 1) {
    throw new OnnxImportError(
      `the graph has ${graph.output.length} outputs (${graph.output.map((v) => v.name).join(', ')}); GraphModule returns exactly one`,
    );
  }
  const input = inputs[0]!;
  const order = topologicalOrder(graph.node, new Set([input.name, ...consts.keys()]));
  const inputDims = declaredInput(input, options.inputShape);

  const tree = new ModuleTree();
  tree.reserve(consts.keys());
  const builder = new GraphBuilder(tree);
  try {
    const layout: Runtime['layout'] = inputDims.length === 4 ? 'nhwc' : 'onnx';
    const held = layout === 'nhwc' ? [1, inputDims[2]!, inputDims[3]!, inputDims[1]!] : [1, ...inputDims.slice(1)];
    const values = new Map<string, Value>([...consts, [input.name, builder.input(tf.zeros(held), [1, ...inputDims.slice(1)], layout)]]);
    const used = new Set<string>();
    for (const i of order) {
      const node = graph.node[i]!;
      const where = nodeLabel(node, i);
      const args = node.input.map((name) => {
        if (name === '') return null;
        const v = values.get(name);
        if (!v)
          throw new OnnxImportError(
            `input '${name}' is an output the importer does not compute (an optional output of its producer)`,
            where,
          );
        used.add(name);
        return v;
      });
      const outputs = convertNode(node, where, args, opset, builder);
      node.output.forEach((name, k) => {
        const v = outputs[k];
        if (name !== '' && v) values.set(name, v);
      });
    }
    const out = values.get(graph.output[0]!.name);
    if (!out) throw new OnnxImportError(`the graph output '${graph.output[0]!.name}' is not computed by any node`);
    if (out.kind !== 'runtime')
      throw new OnnxImportError(`the graph output '${graph.output[0]!.name}' is a constant; it does not depend on the input`);
    const unused = [...consts.keys()].filter((k) => !used.has(k));
    if (unused.length) builder.report.notes.push(`initializers no node reads (left out): ${unused.join(', ')}`);
    if (tree.root.namedModules().some(([, m]) => m.typeName.startsWith('BatchNorm'))) {
      builder.report.notes.push('ONNX files do not store num_batches_tracked: it starts at 0 (PyTorch uses it only with momentum=None)');
    }
    const heldOut = builder.probes[out.slot]!.shape.slice(1);
    return new GraphModule(tree.root, {
      steps: builder.steps,
      slots: builder.probes.length,
      outputSlot: out.slot,
      inputShape: held.slice(1),
      outputShape: heldOut,
      report: builder.report,
      opset,
      producer: `${model.producerName} ${model.producerVersion}`.trim(),
      kept: builder.kept,
    });
  } catch (e) {
    tree.root.dispose();
    tf.dispose(builder.kept);
    throw e;
  } finally {
    builder.dispose();
  }
}

function convertNode(node: NodeProto, where: string, args: (Value | null)[], opset: number, builder: GraphBuilder): Value[] {
  const op = node.opType;
  if (node.domain !== '' && node.domain !== 'ai.onnx') {
    throw new OnnxImportError(`operator domain '${node.domain}' is not supported (only the default ONNX domain)`, where);
  }
  const attrs = new Attributes(node, where);
  const allConst = args.every((v) => v === null || v.kind === 'const');
  const folder = FOLDERS[op];
  try {
    if (folder && (allConst || op === 'Shape')) return [folder({ attrs, where }, args)];
    const converter = CONVERTERS[op];
    if (!converter) {
      throw new OnnxImportError(
        `operator '${op}' is not supported${folder ? ' on computed tensors (only folded at import, when its inputs are constants)' : ''}; supported: ${supportedOperators().join(', ')}`,
        where,
      );
    }
    return converter(new ImportContext(where, attrs, args, opset, scopePath(node.name, op), op, builder));
  } catch (e) {
    if (e instanceof OnnxImportError) throw e;
    throw new OnnxImportError((e as Error).message, where, { cause: e });
  }
}

function opsetOf(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!entry) throw new OnnxImportError('the model imports no version of the default ONNX operator set (opset_import)');
  const v = int64(entry.version, 'opset_import version');
  if (v < OPSET_RANGE[0] || v > OPSET_RANGE[1]) {
    throw new OnnxImportError(`opset ${v} is not supported; export with opset_version between ${OPSET_RANGE[0]} and ${OPSET_RANGE[1]}`);
  }
  return v;
}

/** The input's ONNX dims with the batch as 1, from the file or from options.inputShape (given NHWC). */
function declaredInput(input: ValueInfoProto, given: number[] | undefined): number[] {
  const where = `graph input '${input.name}'`;
  const tensor = input.type?.tensorType;
  if (!tensor) throw new OnnxImportError('is not a tensor', where);
  if (tensor.elemType !== 1) throw new OnnxImportError(`has element type ${tensor.elemType}, expected FLOAT (1)`, where);
  if (given) {
    if (!Array.isArray(given) || given.some((d) => !Number.isInteger(d) || d < 1 || d > 1 << 16)) {
      throw new OnnxImportError(`options.inputShape must be positive integers (no batch axis), got ${JSON.stringify(given)}`, where);
    }
    return given.length === 3 ? [1, given[2]!, given[0]!, given[1]!] : [1, ...given];
  }
  const dims = tensor.shape?.dim ?? [];
  if (dims.length === 0) throw new OnnxImportError('declares no shape; pass options.inputShape', where);
  return dims.map((d, i) => {
    if (i === 0) return 1;
    const n = int64(d.dimValue, `${where} dim ${i}`);
    if (!(n >= 1 && n <= 1 << 16)) {
      throw new OnnxImportError(
        `dim ${i} is ${d.dimParam ? `symbolic ('${d.dimParam}')` : n}; pass options.inputShape (without the batch axis, NHWC for images)`,
        where,
      );
    }
    return n;
  });
}
