import * as tf from '@tensorflow/tfjs-core';
import { listenHostDraws } from '@logitlab/core';
import { type OpSpec, type SlotSpec, StepPlan } from './step-plan';

/** A number the step uses that changes between replays (a learning rate): found by its traced float32 value. */
export interface RuntimeScalar {
  name: string;
  /** The value the traced step was given: pick one no constant of the step can equal. */
  traced: number;
  /** When set, a trace that never writes this scalar is still a plan (one of several forms a value may take). */
  optional?: boolean;
}

export interface TraceOptions {
  /** Tensors bound anew at every replay, by position (the batch). */
  inputs: readonly tf.Tensor[];
  /** Scalars written during the step whose float32 value equals `traced` become replay-time inputs. */
  scalars?: readonly RuntimeScalar[];
  /**
   * Undo the step's variable assignments after recording it: for a dry run whose runtime scalars held
   * sentinel values. The caller restores any host state (the generator) itself.
   */
  rollback?: boolean;
}

export type TraceResult =
  { outputs: tf.Tensor[]; plan: StepPlan; reason?: undefined } | { outputs: tf.Tensor[]; plan?: undefined; reason: string };

// Output shapes that depend on the data (a plan bakes every shape), and kernels that draw on the
// backend with a seed fixed in their attributes (a replay would repeat the same numbers).
const NOT_REPLAYABLE: Record<string, string> = Object.fromEntries([
  ...['Where', 'Unique', 'NonMaxSuppressionV3', 'NonMaxSuppressionV4', 'NonMaxSuppressionV5', 'SparseReshape', 'SparseFillEmptyRows']
    .concat(['SparseSegmentMean', 'SparseSegmentSum', 'StringSplit', 'StringNGrams', 'RaggedGather', 'RaggedRange', 'RaggedTensorToTensor'])
    .map((k) => [k, 'its output shape depends on the data']),
  ...['RandomUniform', 'RandomStandardNormal', 'RandomGamma', 'RandomUniformInt', 'Multinomial'].map((k) => [
    k,
    "it draws with a seed fixed at trace time (draw through @logitlab/layers' generator instead)",
  ]),
]);

interface EngineHooks {
  runKernel(name: string, inputs: Record<string, tf.Tensor | undefined> | tf.Tensor[], attrs?: tf.NamedAttrMap): tf.Tensor | tf.Tensor[];
  makeTensor(values: tf.BackendValues, shape: number[], dtype: tf.DataType, backend?: tf.KernelBackend): tf.Tensor;
  makeVariable(...args: unknown[]): tf.Variable;
  readSync(dataId: tf.DataId): unknown;
  read(dataId: tf.DataId): unknown;
  readToGPU(dataId: tf.DataId, options?: unknown): unknown;
  nextTensorId(): number;
}
type Hooked = 'runKernel' | 'makeTensor' | 'makeVariable' | 'readSync' | 'read' | 'readToGPU';

/**
 * Runs `step` once, eagerly, and records it at the kernel level: every `runKernel` call with its attrs,
 * where each of its inputs came from (the step's inputs, variables, tensors made before the step,
 * constants and runtime scalars written during it, host draws announced through @logitlab/core) and
 * which variables it assigned. The record becomes a StepPlan that replays the step without the engine.
 *
 * A step the plan cannot represent (a host read such as dataSync, a data-dependent shape, a variable
 * created inside it) still runs to the end, eagerly; the result then carries a one-line reason instead
 * of a plan.
 */
export function traceStep(step: () => tf.Tensor[], options: TraceOptions): TraceResult {
  const engine = tf.engine() as unknown as EngineHooks & { backend: tf.KernelBackend };
  const backend = engine.backend;
  const backendName = tf.getBackend();
  const slots: SlotSpec[] = [];
  const ops: OpSpec[] = [];
  const slotOf = new Map<tf.Tensor, number>();
  const varSlot = new Map<tf.Variable, number>();
  const assigned = new Set<tf.Variable>();
  const saved = new Map<tf.Variable, tf.Tensor>();
  const scalarBits = new Map<number, string>((options.scalars ?? []).map((s) => [Math.fround(s.traced), s.name]));
  const firstId = engine.nextTensorId();
  let reason: string | undefined;
  let depth = 0;
  const fail = (why: string) => {
    reason ??= why;
  };
  const newSlot = (spec: SlotSpec): number => slots.push(spec) - 1;
  const slotFor = (t: tf.Tensor): number => {
    if (t instanceof tf.Variable) {
      let s = varSlot.get(t);
      if (s === undefined) {
        s = newSlot({ source: { kind: 'state', variable: t }, shape: t.shape, dtype: t.dtype });
        varSlot.set(t, s);
      }
      return s;
    }
    let s = slotOf.get(t);
    if (s !== undefined) return s;
    const index = options.inputs.indexOf(t);
    if (index >= 0) s = newSlot({ source: { kind: 'input', index }, shape: t.shape, dtype: t.dtype });
    else {
      // made during the step, yet not by a kernel or a constant write: nothing to replay it from
      if (t.id > firstId) fail(`tensor ${t.id} was made outside a kernel during the step`);
      s = newSlot({ source: { kind: 'captured', tensor: t }, shape: t.shape, dtype: t.dtype });
    }
    slotOf.set(t, s);
    return s;
  };

  const original = {} as Pick<EngineHooks, Hooked>;
  const ownHooks = new Set<Hooked>();
  const hook = <K extends Hooked>(name: K, make: (orig: EngineHooks[K]) => EngineHooks[K]) => {
    if (Object.prototype.hasOwnProperty.call(engine, name)) ownHooks.add(name);
    const hooks: EngineHooks = engine;
    const orig = hooks[name].bind(engine) as EngineHooks[K];
    original[name] = orig;
    hooks[name] = make(orig);
  };

  // the engine clones the tensors a gradient saves (an Identity inside the kernel call); a clone shares
  // its source's data, so the plan reads the source's slot wherever the backward pass reads the clone
  const clones: Array<[tf.Tensor, tf.Tensor]> = [];
  let elided = 0;
  hook('runKernel', (orig) => (name, inputs, attrs) => {
    if (depth > 0) {
      const out = orig(name, inputs, attrs);
      const x = (inputs as Record<string, tf.Tensor | undefined>)['x'];
      if (name === 'Identity' && x && !Array.isArray(out)) clones.push([x, out]);
      return out;
    }
    const why = NOT_REPLAYABLE[name];
    if (why) fail(`${name}: ${why}`);
    const array = Array.isArray(inputs);
    const entries = Object.entries(inputs).filter((e): e is [string, tf.Tensor] => e[1] != null);
    const inputSlots = entries.map(([, t]) => slotFor(t));
    depth++;
    let out: tf.Tensor | tf.Tensor[];
    try {
      out = orig(name, inputs, attrs);
    } finally {
      depth--;
    }
    const outs = Array.isArray(out) ? out : [out];
    const op = ops.length;
    const outputSlots = outs.map((t, output) => {
      if (slotOf.has(t)) fail(`${name} returned one of its inputs as its output`);
      const s = newSlot({ source: { kind: 'op', op, output }, shape: t.shape, dtype: t.dtype });
      slotOf.set(t, s);
      return s;
    });
    ops.push({ kernelName: name, inputNames: entries.map(([k]) => k), inputSlots, array, attrs, outputSlots });
    for (const [source, clone] of clones.splice(0)) {
      slotOf.set(clone, slotFor(source));
      elided++;
    }
    return out;
  });
  hook('makeTensor', (orig) => (values, shape, dtype, b) => {
    const t = orig(values, shape, dtype, b);
    if (depth > 0) return t;
    if (t.dtype === 'string' || t.dtype === 'complex64') fail(`a ${t.dtype} tensor was made during the step`);
    const name = t.size === 1 && t.dtype === 'float32' ? scalarBits.get(Math.fround(Number((values as Float32Array)[0]))) : undefined;
    const source = name !== undefined ? ({ kind: 'scalar', name } as const) : ({ kind: 'const', values } as const);
    slotOf.set(t, newSlot({ source, shape: t.shape, dtype: t.dtype }));
    return t;
  });
  hook('makeVariable', (orig) => (...args) => {
    fail('the step creates a variable (an optimizer making its slots on its first step?)');
    return orig(...args);
  });
  for (const read of ['readSync', 'read', 'readToGPU'] as const) {
    hook(read, (orig) => (dataId: tf.DataId, o?: unknown) => {
      if (depth === 0)
        fail(`a host read (${read === 'read' ? 'data()' : read === 'readSync' ? 'dataSync()' : 'dataToGPU()'}) inside the step`);
      return (orig as (d: tf.DataId, o?: unknown) => unknown)(dataId, o);
    });
  }
  const assign = tf.Variable.prototype.assign;
  tf.Variable.prototype.assign = function (this: tf.Variable, value: tf.Tensor) {
    if (depth > 0) return assign.call(this, value);
    slotFor(this);
    if (options.rollback && !saved.has(this)) {
      depth++;
      try {
        saved.set(this, tf.keep(tf.clone(this)));
      } finally {
        depth--;
      }
    }
    const s = slotFor(value);
    assign.call(this, value);
    varSlot.set(this, s);
    assigned.add(this);
  };
  const stopDraws = listenHostDraws((tensor, refill) => {
    const s = slotOf.get(tensor as tf.Tensor);
    const slot = s === undefined ? undefined : slots[s];
    if (!slot || slot.source.kind !== 'const' || slot.dtype !== 'float32') {
      fail('a host draw was announced for a tensor that is not a float32 tensor made during the step');
      return;
    }
    slot.source = { kind: 'draw', refill };
  });

  let outputs: tf.Tensor[] = [];
  try {
    outputs = step();
  } finally {
    stopDraws();
    tf.Variable.prototype.assign = assign;
    for (const name of Object.keys(original) as Hooked[]) {
      if (ownHooks.has(name)) (engine as unknown as Record<string, unknown>)[name] = original[name];
      else delete (engine as unknown as Record<string, unknown>)[name];
    }
    for (const [v, old] of saved) {
      v.assign(old);
      old.dispose();
    }
  }
  const outputSlots = outputs.map((t) => slotOf.get(t) ?? (t instanceof tf.Variable ? varSlot.get(t) : undefined));
  if (outputSlots.some((s) => s === undefined)) fail('the step returned a tensor it did not compute');
  if (tf.engine().backend !== backend) fail('the backend changed during the step');
  const matched = new Set(slots.flatMap((s) => (s.source.kind === 'scalar' ? [s.source.name] : [])));
  for (const s of options.scalars ?? [])
    if (!s.optional && !matched.has(s.name)) fail(`the runtime scalar "${s.name}" was not found in the step (baked into a kept tensor?)`);
  if (reason !== undefined) return { outputs, reason };
  const plan = new StepPlan({
    backendName,
    backend,
    slots,
    ops,
    outputs: outputSlots as number[],
    assigned: [...assigned].map((variable) => ({ variable, slot: varSlot.get(variable) as number })),
    elided,
  });
  return { outputs, plan };
}
