import type { Module } from '@logitlab/layers';
import { CheckpointError } from '../errors';
import type { CheckpointHeader } from './header';

const SLOT = /^optimizer\.(\d{5})$/;

/** At most this many names in a message: a file of 100,000 foreign tensors gets a one-line error. */
const SHOWN = 8;

function list(names: string[]): string {
  return names.length > SHOWN ? `${names.slice(0, SHOWN).join(', ')}, ... (${names.length} in all)` : names.join(', ');
}

/**
 * Every tensor is `model.<key>` or `optimizer.<5 digits>`, and the optimizer tensors are exactly
 * `optimizer.00000` .. the slot count the metadata lists. From the header alone, before any tensor is built.
 */
export function checkStructure(header: CheckpointHeader, slots: string[]): void {
  const foreign: string[] = [];
  const indices = new Set<number>();
  for (const name of header.entries.keys()) {
    const m = SLOT.exec(name);
    if (m) indices.add(Number(m[1]));
    else if (!name.startsWith('model.') || name.length === 6) foreign.push(name);
  }
  if (foreign.length)
    throw new CheckpointError(
      `checkpoint holds tensors [${list(foreign)}]; expected only model.<key> and optimizer.<index>; the file is corrupt`,
    );
  const missing = slots.map((_, i) => i).filter((i) => !indices.has(i));
  if (missing.length || indices.size !== slots.length)
    throw new CheckpointError(
      `checkpoint lists ${slots.length} optimizer slots but holds ${indices.size} optimizer tensors${missing.length ? ` (slot ${missing[0]} is missing)` : ''}; the file is corrupt`,
    );
}

/** The checkpoint's `model.*` names equal the model's state-dict keys (strict), from the header alone. */
export function checkModelKeys(header: CheckpointHeader, model: Module): void {
  const want = new Set([...model.namedParameters(), ...model.namedBuffers()].map(([k]) => `model.${k}`));
  const have = [...header.entries.keys()].filter((k) => k.startsWith('model.'));
  const unexpected = have.filter((k) => !want.has(k));
  const present = new Set(have);
  const missing = [...want].filter((k) => !present.has(k));
  if (missing.length || unexpected.length)
    throw new CheckpointError(`checkpoint does not fit this model: missing keys [${list(missing)}], unexpected keys [${list(unexpected)}]`);
}
