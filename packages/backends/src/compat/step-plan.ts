import * as tf from '@tensorflow/tfjs-core';
import { PlanGuardError } from './step-errors';
import { type PlanExecutor, planLowering } from './step-executor';
import type { PlanSpec, SlotSpec } from './step-spec';

export type { OpSpec, PlanSpec, SlotSource, SlotSpec } from './step-spec';

/** What one replay costs, planned once. */
export interface PlanStats {
  kernelCalls: number;
  /** Kernel calls of the eager step it was recorded from (kernelCalls plus the Identity clones it reads as their source). */
  eagerKernelCalls: number;
  /** Largest sum of bytes of values the replay holds at once (its arena, if it had one). */
  arenaBytes: number;
  /** Bytes written once for the plan's constants. */
  constBytes: number;
  /** Host draws (dropout masks, noise) redrawn each replay, in the eager step's order. */
  hostDraws: number;
  /** The runtime scalars the step writes (by name), each replay. */
  scalars: string[];
  /** Who runs a replay: the backend's whole-step executor (one native call), or a loop over its kernel functions. */
  executor: 'backend' | 'kernels';
  /** Why the backend's executor does not run this plan, when the backend has one. */
  executorFallback?: string;
}

interface ReadyOp {
  kernelFunc: tf.KernelFunc;
  inputNames: string[];
  inputSlots: number[];
  /** Reused every replay: the kernel's inputs argument. */
  inputs: tf.NamedTensorInfoMap | tf.TensorInfo[];
  attrs: tf.NamedAttrMap | undefined;
  outputSlots: number[];
  /** Slots whose last reader is this op: the replay frees them right after it. */
  free: number[];
}

const bytesPerElement = (dtype: tf.DataType): number => (dtype === 'float32' || dtype === 'int32' ? 4 : dtype === 'bool' ? 1 : 8);
const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * One recorded training step, replayed as a loop over the backend's kernel functions: no tape, no
 * Tensor objects, no tidy. Values live in a slot array; every value the replay makes is freed after
 * its last reader (its planned lifetime), and the variables the step assigned take their new values
 * at the end, so a replay that throws leaves every variable as it was.
 */
export class StepPlan {
  readonly stats: PlanStats;
  private readonly ops: ReadyOp[];
  private readonly values: Array<tf.TensorInfo | undefined>;
  /** Slots made by each replay (op outputs, scalars, draws): the replay owns one reference each. */
  private readonly owned: boolean[];
  private readonly constInfos = new Map<number, tf.TensorInfo>();
  /** The slots `mismatch` checks (inputs, variables, captured tensors): a few dozen of a plan's hundreds. */
  private readonly guarded: Array<[number, SlotSpec]>;
  private disposed = false;
  private readonly executor: PlanExecutor | undefined;
  /** When set, replays time every kernel call (for the bench: the engine's share of a step is the rest). */
  profile = false;
  /** Milliseconds spent inside kernel functions by profiled replays, summed. */
  kernelMs = 0;

  constructor(private readonly spec: PlanSpec) {
    const { slots, backend, backendName } = spec;
    this.values = slots.map(() => undefined);
    this.guarded = [...slots.entries()].filter(([, s]) => ['input', 'state', 'captured'].includes(s.source.kind));
    this.owned = slots.map((s) => s.source.kind === 'op' || s.source.kind === 'scalar' || s.source.kind === 'draw');
    const lastUse = slots.map(() => -1);
    spec.ops.forEach((op, i) => {
      for (const s of op.inputSlots) lastUse[s] = i;
    });
    const kept = new Set<number>([...spec.outputs, ...spec.assigned.map((a) => a.slot)]);
    // a value nobody reads (an unused second output) is freed by the op that makes it
    spec.ops.forEach((op, i) => {
      for (const s of op.outputSlots) if (lastUse[s] === -1) lastUse[s] = i;
    });
    const freeAt: number[][] = spec.ops.map(() => []);
    slots.forEach((_, s) => {
      const at = lastUse[s] ?? -1;
      if (this.owned[s] && !kept.has(s) && at >= 0) freeAt[at]?.push(s);
    });
    this.ops = spec.ops.map((op, i) => {
      const config = tf.getKernel(op.kernelName, backendName);
      if (!config) throw new PlanGuardError(`kernel ${op.kernelName} is not registered for backend ${backendName}`);
      return {
        kernelFunc: config.kernelFunc,
        inputNames: op.inputNames,
        inputSlots: op.inputSlots,
        inputs: op.array ? [] : {},
        attrs: op.attrs,
        outputSlots: op.outputSlots,
        free: freeAt[i] ?? [],
      };
    });
    let constBytes = 0;
    slots.forEach((s, i) => {
      if (s.source.kind !== 'const') return;
      const values = s.source.values;
      const copy = ArrayBuffer.isView(values) ? (values as Float32Array).slice() : values;
      this.constInfos.set(i, { dataId: backend.write(copy, s.shape, s.dtype), shape: s.shape, dtype: s.dtype });
      constBytes += sizeOf(s.shape) * bytesPerElement(s.dtype);
    });
    const lower = planLowering(backendName);
    const lowered = lower?.(spec);
    this.executor = typeof lowered === 'object' ? lowered : undefined;
    this.stats = {
      kernelCalls: this.executor?.instructions ?? spec.ops.length,
      eagerKernelCalls: spec.ops.length + spec.elided,
      arenaBytes: this.executor?.arenaBytes ?? this.peakBytes(freeAt),
      constBytes,
      hostDraws: slots.filter((s) => s.source.kind === 'draw').length,
      scalars: [...new Set(slots.flatMap((s) => (s.source.kind === 'scalar' ? [s.source.name] : [])))],
      executor: this.executor ? 'backend' : 'kernels',
    };
    if (typeof lowered === 'string') this.stats.executorFallback = lowered;
  }

  /** The backend the plan was recorded on (a replay anywhere else is refused). */
  get backendName(): string {
    return this.spec.backendName;
  }

  private peakBytes(freeAt: number[][]): number {
    const { slots } = this.spec;
    let live = 0;
    let peak = 0;
    const bytes = (s: number) => {
      const slot = slots[s] as SlotSpec;
      return sizeOf(slot.shape) * bytesPerElement(slot.dtype);
    };
    slots.forEach((s, i) => {
      if (s.source.kind === 'scalar' || s.source.kind === 'draw') live += bytes(i);
    });
    peak = live;
    this.spec.ops.forEach((op, i) => {
      for (const s of op.outputSlots) live += bytes(s);
      peak = Math.max(peak, live);
      for (const s of freeAt[i] ?? []) live -= bytes(s);
    });
    return peak;
  }

  /**
   * Why this plan cannot replay with these inputs, or undefined when it can: the backend, the
   * inputs' shapes and dtypes, and every variable and captured tensor it reads still alive and shaped
   * as recorded.
   */
  mismatch(inputs: readonly tf.Tensor[]): string | undefined {
    if (this.disposed) return 'the plan was disposed';
    if (tf.getBackend() !== this.spec.backendName || tf.engine().backend !== this.spec.backend)
      return `the backend is ${tf.getBackend()}, the plan was recorded on ${this.spec.backendName}`;
    for (const [i, slot] of this.guarded) {
      const src = slot.source;
      if (src.kind === 'input') {
        const t = inputs[src.index];
        if (!t) return `input ${src.index} is missing`;
        if (t.dtype !== slot.dtype || !sameShape(t.shape, slot.shape))
          return `input ${src.index} is ${t.dtype} [${t.shape.join(', ')}], the plan was recorded for ${slot.dtype} [${slot.shape.join(', ')}]`;
      } else if (src.kind === 'state' || src.kind === 'captured') {
        const t = src.kind === 'state' ? src.variable : src.tensor;
        if (t.isDisposed) return `${src.kind === 'state' ? `variable ${src.variable.name}` : `captured tensor ${i}`} was disposed`;
        if (!sameShape(t.shape, slot.shape)) return `variable ${t.id} changed shape`;
      }
    }
    return undefined;
  }

  /**
   * Runs the recorded step on `inputs` (bound by position) with the runtime scalars' values (by
   * name). Returns the step's outputs as new tensors; the assigned variables hold their new values.
   * Call `mismatch` first: the replay itself trusts the guards.
   */
  replay(inputs: readonly tf.Tensor[], scalars: Readonly<Record<string, number>>): tf.Tensor[] {
    if (this.disposed) throw new PlanGuardError('replay of a disposed plan; expected a live plan');
    const { slots, backend, outputs, assigned } = this.spec;
    if (this.executor) {
      const infos = this.executor.run(inputs, scalars);
      // kernel time here is the one addon call (every kernel and the C++ loop around them)
      if (this.profile) this.kernelMs += this.executor.lastCallMs;
      if (infos) return infos.map((info) => tf.engine().makeTensorFromTensorInfo(info, backend));
    }
    const values = this.values;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as SlotSpec;
      const src = slot.source;
      switch (src.kind) {
        case 'input':
          values[i] = inputs[src.index];
          break;
        case 'state':
          values[i] = src.variable;
          break;
        case 'captured':
          values[i] = src.tensor;
          break;
        case 'const':
          values[i] = this.constInfos.get(i);
          break;
        case 'scalar': {
          const v = scalars[src.name];
          if (v === undefined) {
            this.release();
            throw new PlanGuardError(`no value for the runtime scalar "${src.name}"; expected a number`);
          }
          values[i] = { dataId: backend.write(new Float32Array([v]), slot.shape, 'float32'), shape: slot.shape, dtype: 'float32' };
          break;
        }
        case 'draw': {
          // in recorded order: the generator advances exactly as in the eager step
          const data = new Float32Array(sizeOf(slot.shape));
          src.refill(data);
          values[i] = { dataId: backend.write(data, slot.shape, 'float32'), shape: slot.shape, dtype: 'float32' };
          break;
        }
        default:
          values[i] = undefined;
      }
    }
    try {
      for (const op of this.ops) {
        const ins = op.inputs as Record<string, tf.TensorInfo | undefined>;
        for (let j = 0; j < op.inputSlots.length; j++) ins[op.inputNames[j] as string] = values[op.inputSlots[j] as number];
        const t0 = this.profile ? performance.now() : 0;
        const out = op.kernelFunc({ inputs: op.inputs as tf.NamedTensorInfoMap, attrs: op.attrs, backend });
        if (this.profile) this.kernelMs += performance.now() - t0;
        if (Array.isArray(out)) for (let j = 0; j < op.outputSlots.length; j++) values[op.outputSlots[j] as number] = out[j];
        else values[op.outputSlots[0] as number] = out;
        for (const s of op.free) {
          this.free(values[s] as tf.TensorInfo);
          values[s] = undefined;
        }
      }
    } catch (e) {
      this.release();
      throw e;
    }
    // hand the kept values to the engine: an owned reference moves once, any other use takes a new one
    const moved = new Set<number>();
    const wrap = (s: number): tf.Tensor => {
      const info = values[s] as tf.TensorInfo;
      if (this.owned[s] && !moved.has(s)) {
        moved.add(s);
        if (info instanceof tf.Tensor) return info;
      } else backend.incRef(info.dataId);
      return tf.engine().makeTensorFromTensorInfo(info, backend);
    };
    const result = outputs.map(wrap);
    for (const { variable, slot } of assigned) {
      const t = wrap(slot);
      variable.assign(t);
      t.dispose();
    }
    for (let i = 0; i < values.length; i++) values[i] = undefined;
    return result;
  }

  /** Runs every host draw's refill into scratch memory, in order: the generator advances as a replay's would. */
  redraw(): void {
    for (const slot of this.spec.slots) if (slot.source.kind === 'draw') slot.source.refill(new Float32Array(sizeOf(slot.shape)));
  }

  /**
   * Drops the replay's reference to a value. Some kernels (tfjs-backend-cpu's makeOutput) return a
   * Tensor the engine already counts: that one is disposed through the engine, or tf.memory() drifts.
   */
  private free(v: tf.TensorInfo): void {
    if (v instanceof tf.Tensor) v.dispose();
    else this.spec.backend.disposeData(v.dataId);
  }

  /** Frees what a failed replay made (every owned value still held). */
  private release(): void {
    this.values.forEach((v, i) => {
      if (v && this.owned[i]) this.free(v);
    });
    this.values.fill(undefined);
  }

  /** Frees the plan's constants. The plan cannot replay afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.executor?.dispose();
    for (const info of this.constInfos.values()) this.spec.backend.disposeData(info.dataId);
    this.constInfos.clear();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
