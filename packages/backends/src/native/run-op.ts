// The eager native kernels call the addon as one-instruction plans through runPlan: each kernel then has one
// named argument layout (@logitlab/native's PLAN_OPS, compared with the addon's copy when it loads), shared with
// the compiled step's lowering (plan/lower.ts), and the addon checks every size in one place (plan-extents.cc).
import type { PlanOpName } from '@logitlab/native';
import type { NativeAddon } from './types';

type Buffer = Float32Array | Int32Array | Uint8Array;
/** Runs `op` with `fields` in its PLAN_OPS order, where a slot field is an index into `arrays` (-1: absent). */
export type RunOp = (op: PlanOpName, fields: readonly number[], arrays: readonly Buffer[]) => void;

// Off-heap and reused, as ints.ts explains: a small fresh Int32Array lives on V8's heap, and N-API moves it off
// on every call. Grown (off-heap again) for a longer instruction.
const offHeap = (n: number) => new Int32Array(new ArrayBuffer(4 * n));

export function oneOpRunner(addon: NativeAddon): RunOp {
  // an unknown name becomes code -1, which runPlan refuses with a message naming it; loadNative has already
  // refused an addon whose layouts differ from PLAN_OPS, so this is only reachable by a stale test double
  const opCode = new Map(addon.planLayout().map((l, i) => [l.name, i]));
  let code = offHeap(64);
  let slots = offHeap(24);
  return (op, fields, arrays) => {
    if (fields.length + 2 > code.length) code = offHeap(fields.length + 2);
    if (3 * arrays.length > slots.length) slots = offHeap(3 * arrays.length);
    code[0] = opCode.get(op) ?? -1;
    code[1] = fields.length;
    code.set(fields, 2);
    for (let i = 0; i < arrays.length; i++) {
      slots[3 * i] = i;
      slots[3 * i + 1] = 0;
      slots[3 * i + 2] = arrays[i]!.byteLength;
    }
    addon.runPlan(code.subarray(0, fields.length + 2), slots.subarray(0, 3 * arrays.length), arrays);
  };
}
