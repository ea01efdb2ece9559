// The addon's own tests call it directly, with no tfjs and no backend: one instruction by op name, and reference
// loops in float32 (Math.fround after every operation, as the C++ rounds). Skips where the addon is not built,
// unless LOGITLAB_REQUIRE_NATIVE=1 (CI's native job), where a missing addon fails.
import { type NativeAddon, type NativeBuffer, type PlanOpName, PLAN_OPS, loadNative } from '../src/index';

const loaded = loadNative();
if (!loaded.ok && process.env['LOGITLAB_REQUIRE_NATIVE'] === '1') throw new Error(`the addon does not load: ${loaded.reason}`);
export const addon: NativeAddon | undefined = loaded.ok ? loaded.addon : undefined;
if (addon) addon.setThreads(1);

/** [op code, field count, ...fields] for the named op. */
export function code(op: PlanOpName, fields: readonly number[]): Int32Array {
  return Int32Array.from([PLAN_OPS.findIndex((l) => l.name === op), fields.length, ...fields]);
}

/** Runs one instruction; slot field i names buffers[i]. */
export function runOp(op: PlanOpName, fields: readonly number[], ...buffers: Array<NativeBuffer | null>): void {
  addon!.runOp(code(op, fields), ...buffers);
}

const f32Bits = new Int32Array(1);
const f32View = new Float32Array(f32Bits.buffer);
/** A float32's bits as the addon reads an "f:" field. */
export function floatBits(v: number): number {
  f32View[0] = v;
  return f32Bits[0]!;
}

/** Values in [-2, 2) from a seeded LCG, with a NaN and both infinities where `specials`. */
export function values(n: number, seed = 7, specials = false): Float32Array {
  let s = seed;
  const out = Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32) * 4 - 2);
  if (specials && n >= 3) {
    out[0] = Number.NaN;
    out[Math.floor(n / 2)] = Number.POSITIVE_INFINITY;
    out[n - 1] = Number.NEGATIVE_INFINITY;
  }
  return out;
}

export const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Row-major strides of a shape. */
export function strides(shape: readonly number[]): number[] {
  const out = shape.map(() => 1);
  for (let k = shape.length - 2; k >= 0; k--) out[k] = out[k + 1]! * shape[k + 1]!;
  return out;
}

/** The multi-index of flat position i in shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const st = strides(shape);
  return shape.map((d, k) => Math.floor(i / st[k]!) % d);
}

/** v's value at out's multi-index, v's shape right-aligned to it and broadcast where 1. */
function broadcastAt(v: Float32Array, shape: readonly number[], index: readonly number[]): number {
  const st = strides(shape);
  const lead = index.length - shape.length;
  let flat = 0;
  shape.forEach((d, k) => (flat += (d === 1 ? 0 : index[lead + k]!) * st[k]!));
  return v[flat]!;
}

/** out[i] = f(a at i, b at i) with numpy broadcasting of a and b (right-aligned) to out's shape. */
export function broadcastReference<T>(
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  outShape: readonly number[],
  f: (x: number, y: number) => T,
): T[] {
  return Array.from({ length: size(outShape) }, (_, i) => {
    const index = unravel(i, outShape);
    return f(broadcastAt(a, aShape, index), broadcastAt(b, bShape, index));
  });
}

/** binary and compare's `rank,shapes...` tail: a's, b's and out's shapes right-aligned to out's rank (at least 1). */
export function shapesTail(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): number[] {
  const rank = Math.max(1, outShape.length);
  const pad = (s: readonly number[]) => [...Array<number>(rank - s.length).fill(1), ...s];
  return [rank, ...pad(aShape), ...pad(bShape), ...pad(outShape)];
}
