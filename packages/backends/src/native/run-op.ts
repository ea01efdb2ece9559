// The eager native kernels call the addon's runOp: one instruction in its @logitlab/native PLAN_OPS layout (compared
// with the addon's copy when it loads), the same layouts the compiled step's lowering (plan/lower.ts) uses, with the
// kernel's arrays as arguments: slot field i names the i-th array. The addon checks every size and element type in
// one place (plan-extents.cc, plan-types.cc) before anything runs.
import type { DataType } from '@tensorflow/tfjs-core';
import type { NativeBuffer, PlanOpName } from '@logitlab/native';
import type { NativeAddon } from './types';

/** Runs `op` with `fields` in its PLAN_OPS order, where a slot field is an index into `arrays` (-1: absent). */
export type RunOp = (op: PlanOpName, fields: readonly number[], arrays: ReadonlyArray<NativeBuffer | null>) => void;

// Off-heap and reused: a small fresh Int32Array lives on V8's heap, and N-API moves it off on every call (three
// fresh shape arrays made a 256-float Multiply 1.7 us instead of 0.6, measured). The views of each length are kept
// too: a fresh subarray per call cost 0.15-0.27 us on top of a one-op plan's 0.48-0.56 (plain Node, measured).
class Scratch {
  private buffer = new ArrayBuffer(0);
  private views: Int32Array[] = [];
  /** An Int32Array of exactly n entries, valid until the next call. */
  take(n: number): Int32Array {
    if (4 * n > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(4 * Math.max(n, 64));
      this.views = [];
    }
    return (this.views[n] ??= new Int32Array(this.buffer, 0, n));
  }
}

export function oneOpRunner(addon: NativeAddon): RunOp {
  // an unknown name becomes code -1, which runOp refuses with a message naming it; loadNative has already
  // refused an addon whose layouts differ from PLAN_OPS, so this is only reachable by a stale test double
  const opCode = new Map(addon.planLayout().map((l, i) => [l.name, i]));
  const scratch = new Scratch();
  return (op, fields, arrays) => {
    const code = scratch.take(fields.length + 2);
    code[0] = opCode.get(op) ?? -1;
    code[1] = fields.length;
    code.set(fields, 2);
    addon.runOp(code, ...arrays);
  };
}

const DTYPES: Record<string, DataType> = { f32: 'float32', i32: 'int32', u8: 'bool' };

/**
 * Each op's declared input dtype: its first slot's type in the layout (an input in every op an eager kernel runs).
 * A kernel whose inputs have another dtype goes to the cpu kernel before calling (kernel-util.ts withFallback).
 * Read from the addon's layouts, which loadNative has checked against PLAN_OPS (this package imports
 * @logitlab/native's types only).
 */
export function inputDtypes(addon: NativeAddon): Partial<Record<PlanOpName, DataType>> {
  const out: Partial<Record<string, DataType>> = {};
  for (const l of addon.planLayout()) out[l.name] = DTYPES[l.types.split(',')[0]!];
  return out;
}
