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

/** Offsets for every arena root: permanent ones first, then first fit by lifetime. Returns each root's storage and the arena's size. */
export function planArena(a: ArenaInput): { storage: Array<Storage | undefined>; bytes: number } {
  const storage: Array<Storage | undefined> = a.slots.map(() => undefined);
  for (const [root, index] of a.external) storage[root] = { buffer: 1 + index, offset: 0, bytes: slotBytes(a.slots[root]!) };
  let top = 0;
  for (const root of a.permanent) {
    storage[root] = { buffer: 0, offset: top, bytes: slotBytes(a.slots[root]!) };
    top += aligned(Math.max(1, slotBytes(a.slots[root]!)));
  }
  const base = top;
  const byDef = a.slots.map((_, s) => s).filter((s) => a.root[s] === s && storage[s] === undefined && (a.def[s] ?? -1) >= 0);
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts the fresh array filter made; toSorted is ES2023
  byDef.sort((p, q) => a.def[p]! - a.def[q]! || p - q);
  // live blocks, kept sorted by offset: a new value takes the lowest gap it fits
  const live: Array<{ offset: number; size: number; until: number }> = [];
  for (const s of byDef) {
    const at = a.def[s]!;
    // a block read by this instruction is still being read while it writes: free only strictly earlier ones
    for (let i = live.length - 1; i >= 0; i--) if (live[i]!.until < at) live.splice(i, 1);
    const size = aligned(Math.max(1, slotBytes(a.slots[s]!)));
    let offset = base;
    let index = 0;
    for (; index < live.length; index++) {
      if (live[index]!.offset - offset >= size) break;
      offset = Math.max(offset, live[index]!.offset + live[index]!.size);
    }
    live.splice(index, 0, { offset, size, until: Math.max(at, a.lastRead[s] ?? at) });
    storage[s] = { buffer: 0, offset, bytes: slotBytes(a.slots[s]!) };
    top = Math.max(top, offset + size);
  }
  return { storage, bytes: top };
}
