// The native backend's whole-step executor: a recorded step lowered once (lower.ts, arena.ts) and run as one
// addon call per replay. Inputs, parameters and optimizer slots are the call's external arrays, the latter
// updated in place; every intermediate lives in one arena allocated with the plan.
import { util } from '@tensorflow/tfjs-core';
import type { DataType, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { HostDrawRefill } from '@logitlab/core';
import type { PlanExecutor, PlanLowering } from '../../compat/step-executor';
import { PlanGuardError } from '../../compat/step-errors';
import type { PlanSpec } from '../../compat/step-plan';
import type { CpuLikeBackend, NativeAddon, NativeModule } from '../types';
import { type Storage, planArena, slotBytes } from './arena';
import { foldBias } from './fold-bias';
import { fusedReads, fuseElementwise } from './fuse';
import { type Instruction, type LowerContext, lowerings } from './lower';

type Typed = Float32Array | Int32Array | Uint8Array;
type External = { kind: 'input'; index: number } | { kind: 'tensor'; tensor: Tensor; written: boolean };
// the ops whose output element i depends only on input elements i (or broadcast scalars): safe to write over an input
const ELEMENTWISE = new Set(['binary', 'unary', 'grad', 'cast', 'logical', 'select', 'intBinary', 'copy', 'fused']);
const view = (buffer: ArrayBuffer, offset: number, dtype: DataType, n: number): Typed =>
  dtype === 'float32'
    ? new Float32Array(buffer, offset, n)
    : dtype === 'int32'
      ? new Int32Array(buffer, offset, n)
      : new Uint8Array(buffer, offset, n);

export interface NativePlanOptions {
  /** Fuse chains of elementwise instructions into one (fuse.ts); default true. Off: for comparison. */
  fuse?: boolean;
  /** Fold bias adds into the matMul before them (fold-bias.ts); default true. Off: for comparison. */
  foldBias?: boolean;
}

/** Lowers a recorded step to the addon's plan, or says in one line why the kernel-by-kernel replay keeps it. */
export function nativePlanLowering(addon: NativeAddon, native: NativeModule, options: NativePlanOptions = {}): PlanLowering {
  const codes: LowerContext['codes'] = { ...native, GRAD: native.GRAD ?? {} };
  const table = lowerings(codes);
  const opCode = new Map<string, number>(addon.planLayout().map((l, i) => [l.name, i]));
  const slotFields = addon.planLayout().map((l) => l.fields.split(',').flatMap((f, i) => (f.startsWith('slot:') ? [i] : [])));
  const passes = { fuse: options.fuse ?? true, foldBias: options.foldBias ?? true };
  return (spec) => lowerPlan(spec, addon, { table, codes, opCode, slotFields, passes });
}

function lowerPlan(
  spec: PlanSpec,
  addon: NativeAddon,
  {
    table,
    codes,
    opCode,
    slotFields,
    passes,
  }: {
    table: ReturnType<typeof lowerings>;
    codes: LowerContext['codes'];
    opCode: Map<string, number>;
    slotFields: number[][];
    passes: Required<NativePlanOptions>;
  },
): PlanExecutor | string {
  const { slots } = spec;
  const root = slots.map((_, i) => i);
  const recorded: Instruction[] = [];
  const readsOf = new Map<Instruction, number[]>();
  const outOf = new Map<Instruction, number>();
  for (const op of spec.ops) {
    const lower = table[op.kernelName];
    if (!lower) return `${op.kernelName} has no native plan instruction`;
    if (op.outputSlots.length !== 1) return `${op.kernelName} has ${op.outputSlots.length} outputs, the native plan takes one`;
    const out = op.outputSlots[0]!;
    const input = (name: string) => {
      const at = op.inputNames.indexOf(name);
      return at < 0 ? -1 : op.inputSlots[at]!;
    };
    const lowered = lower({ op, slots, input, out, codes });
    if (typeof lowered === 'string') return `${op.kernelName}: ${lowered}`;
    if ('alias' in lowered) {
      if (slotBytes(slots[lowered.alias]!) !== slotBytes(slots[out]!)) return `${op.kernelName} changes its value's size`;
      root[out] = root[lowered.alias]!;
      continue;
    }
    const ops = slotFields[opCode.get(lowered.op) ?? -1];
    if (!ops) return `the addon has no plan op ${lowered.op}`;
    readsOf.set(
      lowered,
      ops.map((k) => lowered.fields[k]!).filter((s) => s >= 0 && s !== out),
    );
    outOf.set(lowered, out);
    recorded.push(lowered);
  }
  const kept = new Set([...spec.outputs, ...spec.assigned.map((a) => a.slot)].map((s) => root[s]!));
  const folded = passes.foldBias
    ? foldBias({ code: recorded, reads: readsOf, outs: outOf, slots, root, kept, add: codes.BINARY.Add })
    : { code: recorded, reads: readsOf, outs: outOf };
  const code = passes.fuse
    ? fuseElementwise({
        code: folded.code,
        reads: folded.code.map((i) => folded.reads.get(i)!),
        outs: folded.code.map((i) => folded.outs.get(i)!),
        slots,
        root,
        kept,
        codes,
      })
    : folded.code;
  const def = slots.map(() => -1);
  const reads = code.map((i) => folded.reads.get(i) ?? fusedReads(i.fields));
  code.forEach((i, at) => (def[folded.outs.get(i) ?? i.fields[0]!] = at));
  const n = code.length;
  const lastRead = slots.map(() => -1);
  reads.forEach((rs, i) => rs.forEach((s) => (lastRead[root[s]!] = i)));
  for (const o of spec.outputs) lastRead[root[o]!] = n;
  // parameters' new values: in place where the old value is dead by then, else one copy after the last instruction
  const stateOf = new Map<unknown, number>();
  slots.forEach((s, i) => s.source.kind === 'state' && stateOf.set(s.source.variable, i));
  const targets = spec.assigned.map(({ variable, slot }) => ({ state: stateOf.get(variable)!, value: root[slot]! }));
  const stateRoots = new Set(targets.map((t) => t.state));
  if (targets.some((t) => t.state === undefined)) return 'a parameter is assigned without being recorded';
  const inPlace = new Map<number, number>();
  for (let changed = true; changed;) {
    changed = false;
    const taken = new Set<number>();
    for (const t of targets) {
      const d = def[t.value]!;
      const ok =
        d >= 0 &&
        !taken.has(t.value) &&
        slotBytes(slots[t.value]!) === slotBytes(slots[t.state]!) &&
        (lastRead[t.state]! < d || (lastRead[t.state] === d && ELEMENTWISE.has(code[d]!.op)));
      if (ok) taken.add(t.value);
      else if (lastRead[t.value]! < n) {
        if (stateRoots.has(t.value)) return "a parameter takes another parameter's value";
        lastRead[t.value] = n;
        changed = true;
      }
      if (ok) inPlace.set(t.value, t.state);
      else inPlace.delete(t.value);
    }
  }
  const copies = targets.filter((t) => inPlace.get(t.value) !== t.state);
  for (const t of copies) {
    code.push({ op: 'copy', fields: [t.value, t.state, slotBytes(slots[t.state]!)] });
  }
  // external arrays: the step's inputs, and every variable or tensor it reads, writes or captured
  const externals: External[] = [];
  const external = new Map<number, number>();
  const written = new Set(targets.map((t) => t.state));
  const permanent: number[] = [];
  slots.forEach((s, i) => {
    if (root[i] !== i) return;
    const src = s.source;
    if (src.kind === 'input') external.set(i, externals.push({ kind: 'input', index: src.index }) - 1);
    else if (src.kind === 'state' || src.kind === 'captured') {
      const tensor = src.kind === 'state' ? src.variable : src.tensor;
      external.set(i, externals.push({ kind: 'tensor', tensor, written: written.has(i) }) - 1);
    } else if (src.kind !== 'op') permanent.push(i);
  });
  const arena = planArena({ slots, root, def, lastRead, external, permanent });
  for (const [value, state] of inPlace) arena.storage[value] = { ...arena.storage[state]!, bytes: slotBytes(slots[value]!) };
  return new NativePlan(spec, addon, { code, opCode, root, storage: arena.storage, arenaBytes: arena.bytes, externals, permanent });
}

interface Lowered {
  code: Instruction[];
  opCode: Map<string, number>;
  root: number[];
  storage: Array<Storage | undefined>;
  arenaBytes: number;
  externals: External[];
  permanent: number[];
}

class NativePlan implements PlanExecutor {
  readonly arenaBytes: number;
  readonly instructions: number;
  lastCallMs = 0;
  private readonly code: Int32Array;
  private readonly slotTable: Int32Array;
  private readonly arena: Uint8Array;
  private readonly buffers: Typed[];
  private readonly scalars: Array<{ name: string; view: Float32Array }> = [];
  private readonly draws: Array<{ refill: HostDrawRefill; view: Float32Array }> = [];
  private readonly outputs: Array<{ storage: Storage; shape: number[]; dtype: DataType }>;
  /** Parameter arrays this plan made and so may write in place (until the user reads one: then it copies again). */
  private readonly ours = new WeakSet<ArrayBufferLike>();

  constructor(
    private readonly spec: PlanSpec,
    private readonly addon: NativeAddon,
    private readonly l: Lowered,
  ) {
    const words = l.code.reduce((sum, i) => sum + 2 + i.fields.length, 0);
    // off-heap (see ints.ts): N-API hands the addon a pointer instead of copying
    this.code = new Int32Array(new ArrayBuffer(4 * Math.max(1, words)));
    let at = 0;
    for (const i of l.code) {
      this.code.set([l.opCode.get(i.op)!, i.fields.length, ...i.fields], at);
      at += 2 + i.fields.length;
    }
    this.code = this.code.subarray(0, words);
    this.slotTable = new Int32Array(new ArrayBuffer(4 * 3 * Math.max(1, spec.slots.length)));
    spec.slots.forEach((_, s) => {
      const st = l.storage[l.root[s]!];
      if (st) this.slotTable.set([st.buffer, st.offset, st.bytes], 3 * s);
    });
    this.arenaBytes = l.arenaBytes;
    this.instructions = l.code.length;
    const buffer = new ArrayBuffer(Math.max(64, l.arenaBytes));
    this.arena = new Uint8Array(buffer);
    this.buffers = [this.arena, ...l.externals.map(() => this.arena)];
    for (const s of l.permanent) {
      const slot = spec.slots[s]!;
      const st = l.storage[s]!;
      const v = view(buffer, st.offset, slot.dtype, util.sizeFromShape(slot.shape));
      const src = slot.source;
      if (src.kind === 'const') v.set(src.values as Typed);
      else if (src.kind === 'scalar') this.scalars.push({ name: src.name, view: v as Float32Array });
      else if (src.kind === 'draw') this.draws.push({ refill: src.refill, view: v as Float32Array });
    }
    this.outputs = spec.outputs.map((o) => ({ storage: l.storage[l.root[o]!]!, shape: spec.slots[o]!.shape, dtype: spec.slots[o]!.dtype }));
  }

  run(inputs: readonly Tensor[], scalars: Readonly<Record<string, number>>): TensorInfo[] | undefined {
    this.lastCallMs = 0;
    const backend = this.spec.backend as CpuLikeBackend;
    const data = backend.data as unknown as { get(id: unknown): { values?: unknown; refCount?: number } };
    for (let i = 0; i < this.l.externals.length; i++) {
      const e = this.l.externals[i]!;
      const t = e.kind === 'input' ? inputs[e.index]! : e.tensor;
      const entry = data.get(t.dataId);
      let values = entry.values as Typed;
      if (e.kind === 'tensor' && e.written) {
        // shared storage (a clone of the parameter) must keep the old value: the kernel loop assigns fresh tensors
        if (entry.refCount !== 1) return undefined;
        if (!this.ours.has(values.buffer) || backend.pool?.pinned(values)) {
          values = values.slice();
          this.ours.add(values.buffer);
          entry.values = values;
        }
      }
      this.buffers[1 + i] = values;
    }
    for (const s of this.scalars) {
      const v = scalars[s.name];
      if (v === undefined) throw new PlanGuardError(`no value for the runtime scalar "${s.name}"; expected a number`);
      s.view[0] = v;
    }
    // in recorded order: the generator advances exactly as in the eager step
    for (const d of this.draws) d.refill(d.view);
    const t0 = performance.now();
    this.addon.runPlan(this.code, this.slotTable, this.buffers);
    this.lastCallMs = performance.now() - t0;
    return this.outputs.map(({ storage, shape, dtype }) => {
      const from = this.buffers[storage.buffer]!;
      const bytes = new Uint8Array(from.buffer, from.byteOffset + storage.offset, storage.bytes).slice();
      const values = view(bytes.buffer, 0, dtype, util.sizeFromShape(shape));
      return { dataId: backend.write(values, shape, dtype), shape, dtype };
    });
  }

  dispose(): void {}
}
