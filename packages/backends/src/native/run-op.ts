// The eager native kernels call the addon as one-instruction plans through runPlan: each kernel then has one
// named argument layout (@logitlab/native's PLAN_OPS, compared with the addon's copy when it loads), shared with
// the compiled step's lowering (plan/lower.ts), and the addon checks every size in one place (plan-extents.cc).
import type { PlanOpName } from '@logitlab/native';
import type { NativeAddon } from './types';

type Buffer = Float32Array | Int32Array | Uint8Array;
/** Runs `op` with `fields` in its PLAN_OPS order, where a slot field is an index into `arrays` (-1: absent). */
export type RunOp = (op: PlanOpName, fields: readonly number[], arrays: readonly Buffer[]) => void;

// Off-heap and reused, as ints.ts explains: a small fresh Int32Array lives on V8's heap, and N-API moves it off
// on every call. The views of each length are kept too: a fresh subarray per call cost 0.15-0.27 us on top of a
// one-op plan's 0.48-0.56 (a 256-float add, plain Node, measured).
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
  // an unknown name becomes code -1, which runPlan refuses with a message naming it; loadNative has already
  // refused an addon whose layouts differ from PLAN_OPS, so this is only reachable by a stale test double
  const opCode = new Map(addon.planLayout().map((l, i) => [l.name, i]));
  const codeScratch = new Scratch();
  const slotScratch = new Scratch();
  return (op, fields, arrays) => {
    const code = codeScratch.take(fields.length + 2);
    code[0] = opCode.get(op) ?? -1;
    code[1] = fields.length;
    code.set(fields, 2);
    const slots = slotScratch.take(3 * arrays.length);
    for (let i = 0; i < arrays.length; i++) {
      slots[3 * i] = i;
      slots[3 * i + 1] = 0;
      slots[3 * i + 2] = arrays[i]!.byteLength;
    }
    addon.runPlan(code, slots, arrays);
  };
}
