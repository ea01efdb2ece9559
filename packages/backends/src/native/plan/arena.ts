// Where each value of a lowered plan lives: one arena for everything the step makes (offsets reused once a
// value's last reader has run), the external arrays for its inputs and parameters. A parameter's new value is
// written straight into the parameter's own array when nothing reads the old value after the op that makes
// the new one starts; otherwise one copy at the end of the step puts it there.
import { util } from '@tensorflow/tfjs-core';
import type { DataType } from '@tensorflow/tfjs-core';
import type { SlotSpec } from '../../compat/step-plan';

export interface Storage {
  /** 0: the arena; else an external array (1 + its index in `externals`). */
  buffer: number;
  offset: number;
  bytes: number;
}

const ALIGN = 64;
const BYTES: Partial<Record<DataType, number>> = { float32: 4, int32: 4, bool: 1 };
export const slotBytes = (s: SlotSpec): number => util.sizeFromShape(s.shape) * (BYTES[s.dtype] ?? 8);
const aligned = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

export interface ArenaInput {
  slots: readonly SlotSpec[];
  /** Per slot: the slot whose storage it shares (itself unless an alias). */
  root: number[];
  /** Per root slot: the instruction that writes it (-1: written before the step runs). */
  def: number[];
  /** Per root slot: the last instruction that reads it or an alias of it (instructions.length: read after the step). */
  lastRead: number[];
  /** Roots stored outside the arena (inputs, parameters), with their external index. */
  external: Map<number, number>;
  /** Roots that live the whole plan (constants, runtime scalars, host draws). */
  permanent: number[];
}

/** Offsets for every arena root: permanent ones first, then the rest greedy by size over their lifetimes. Returns each root's storage and the arena's size. */
export function planArena(a: ArenaInput): { storage: Array<Storage | undefined>; bytes: number } {
  const storage: Array<Storage | undefined> = a.slots.map(() => undefined);
  for (const [root, index] of a.external) storage[root] = { buffer: 1 + index, offset: 0, bytes: slotBytes(a.slots[root]!) };
  let top = 0;
  for (const root of a.permanent) {
    storage[root] = { buffer: 0, offset: top, bytes: slotBytes(a.slots[root]!) };
    top += aligned(Math.max(1, slotBytes(a.slots[root]!)));
  }
  const base = top;
  const values = a.slots
    .map((_, s) => s)
    .filter((s) => a.root[s] === s && storage[s] === undefined && (a.def[s] ?? -1) >= 0)
    .map((s) => {
      const from = a.def[s]!;
      return { s, from, until: Math.max(from, a.lastRead[s] ?? from), size: aligned(Math.max(1, slotBytes(a.slots[s]!))) };
    });
  // greedy by size (TFLite's arena planner): the largest values first, each at the lowest offset no value alive at the
  // same time overlaps. First fit in definition order left gaps the big late values did not fit (a third over the
  // live peak on the VAE step); a value read by an instruction is alive while it writes, so lifetimes are inclusive.
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts the fresh array map made; toSorted is ES2023
  values.sort((p, q) => q.size - p.size || p.from - q.from || p.s - q.s);
  const placed: Array<{ offset: number; size: number; from: number; until: number }> = [];
  for (const v of values) {
    const clashes = placed
      .filter((o) => o.from <= v.until && v.from <= o.until)
      // oxlint-disable-next-line unicorn/no-array-sort -- sorts the fresh array filter made
      .sort((p, q) => p.offset - q.offset);
    let offset = base;
    for (const o of clashes) {
      if (o.offset - offset >= v.size) break;
      offset = Math.max(offset, o.offset + o.size);
    }
    placed.push({ offset, size: v.size, from: v.from, until: v.until });
    storage[v.s] = { buffer: 0, offset, bytes: slotBytes(a.slots[v.s]!) };
    top = Math.max(top, offset + v.size);
  }
  return { storage, bytes: top };
}
