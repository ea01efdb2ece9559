import * as tf from '@tensorflow/tfjs-core';
import { getRngState, loadSafetensors, type Module, saveSafetensors, setRngState, type StateDict } from '@logitlab/layers';
import { CHECKSUM_PLACEHOLDER, sealChecksum, verifyChecksum } from './checkpoint-file/checksum';
import { type CheckpointHeader, readHeader } from './checkpoint-file/header';
import { assertFinite } from './checkpoint-file/non-finite';
import { checkModelKeys, checkStructure } from './checkpoint-file/structure';
import { ArchitectureMismatchError, CheckpointError } from './errors';
import { restoreOptimizerState, saveOptimizerState, validateOptimizerState } from './optimizer-state';
import type { CheckpointStorage } from './storage';
import { parseTraining, stable, type TrainingState } from './training-state';

const FORMAT = 'logitlab-checkpoint';
/**
 * 3: the checksum covers the whole file, header and metadata included (checkpoint-file/checksum.ts).
 * 2 added `checksum` over the tensor data only, and `training`. Versions 1 and 2 still load (with the
 * guarantees they had: their metadata is not checksummed); only version 3 is written.
 */
const VERSION = '3';
const READABLE = ['1', '2', VERSION];

/** What a checkpoint says about the run it came from. */
export interface CheckpointInfo {
  /** Epochs completed: training resumes at this (0-based) epoch. */
  epoch: number;
  /** Optimiser steps completed. */
  step: number;
  seed: number | undefined;
  /** State of the layers' global generator (manualSeed / dropout) when it was written. */
  rngState: number;
  optimizer: string;
  /** The architecture description the run gave (fit's `arch`, by default the model's summary), when it gave one. */
  arch: string | undefined;
  /** fit's per-step options and the scheduler's state (absent in checkpoints written before they existed). */
  training: TrainingState | undefined;
}

export interface LoadCheckpointOptions {
  /**
   * The architecture the caller builds. When both it and the checkpoint name one and they differ,
   * loading throws ArchitectureMismatchError before touching any weight (a clearer message than a
   * missing-key list, and it catches same-shaped models of another kind).
   */
  arch?: string;
}

type SaveInfo = Omit<CheckpointInfo, 'optimizer' | 'rngState' | 'arch' | 'training'> & {
  rngState?: number;
  arch?: string;
  training?: TrainingState;
};

/**
 * One safetensors file: `model.<key>` (the PyTorch-layout state dict, so `model.*` loads in
 * PyTorch after stripping the prefix), `optimizer.<index>` (slots, in tfjs's positional order),
 * and metadata with epoch, step, seed, RNG state, the slot names, fit's per-step options and
 * scheduler state, and a CRC-32 of the whole file (verified on load). A model or optimizer state
 * holding NaN or +-Infinity is never written: NonFiniteCheckpointError names the first such value.
 */
export async function saveCheckpoint(model: Module, optimizer: tf.Optimizer, info: SaveInfo): Promise<Uint8Array> {
  const state = model.stateDict();
  const opt = await saveOptimizerState(optimizer, model);
  try {
    const dict: StateDict = {};
    for (const [k, t] of Object.entries(state)) dict[`model.${k}`] = t;
    opt.tensors.forEach((t, i) => (dict[`optimizer.${String(i).padStart(5, '0')}`] = t));
    // saveSafetensors reads synchronously; an async read first leaves the values cached on the host,
    // so it also works on backends without sync reads (webgpu)
    await Promise.all(Object.values(dict).map((t) => t.data()));
    const bytes = saveSafetensors(dict, {
      format: FORMAT,
      version: VERSION,
      epoch: String(info.epoch),
      step: String(info.step),
      seed: info.seed === undefined ? '' : String(info.seed),
      rngState: String(info.rngState ?? getRngState()),
      optimizer: optimizer.getClassName(),
      optimizerSlots: JSON.stringify(opt.names),
      ...(info.arch === undefined ? {} : { arch: info.arch }),
      ...(info.training === undefined ? {} : { training: stable(info.training) }),
      checksum: CHECKSUM_PLACEHOLDER,
    });
    const header = readHeader(bytes);
    assertFinite(bytes, header, 'write');
    sealChecksum(bytes, header);
    return bytes;
  } finally {
    tf.dispose(Object.values(state));
    opt.release();
  }
}

/** Reads a checkpoint's metadata without touching any model (checksum, structure and metadata verified; no tensor built). */
export function readCheckpointInfo(bytes: Uint8Array): CheckpointInfo {
  return verify(bytes).info;
}

/**
 * Restores model weights (strict: the architecture must match), optimizer slots, and the layers'
 * RNG state. The optimizer must be fresh and of the same class. Returns where to resume.
 * Without an optimizer only the weights are restored (to evaluate a checkpoint); the RNG is left alone.
 * All or nothing: the checksum, every metadata field, every name and shape are checked first, so a
 * failed load (always a CheckpointError) changes neither the model nor the optimizer.
 */
export async function loadCheckpoint(
  bytes: Uint8Array,
  model: Module,
  optimizer?: tf.Optimizer,
  options: LoadCheckpointOptions = {},
): Promise<CheckpointInfo> {
  const { header, info: meta } = verify(bytes);
  if (options.arch !== undefined && meta.arch !== undefined && options.arch !== meta.arch)
    throw new ArchitectureMismatchError(options.arch, meta.arch);
  if (optimizer && optimizer.iterations !== 0) {
    throw new CheckpointError(`cannot resume into an optimizer that has already taken ${optimizer.iterations} steps; expected a fresh one`);
  }
  if (optimizer && meta.optimizer !== optimizer.getClassName()) {
    throw new CheckpointError(
      `checkpoint was written with optimizer ${meta.optimizer}; expected it to be resumed with the same, got ${optimizer.getClassName()}`,
    );
  }
  checkModelKeys(header, model);
  const { tensors } = decodeTensors(bytes);
  try {
    const modelDict: StateDict = {};
    for (const [k, t] of Object.entries(tensors)) if (k.startsWith('model.')) modelDict[k.slice(6)] = t;
    const names = slotNames(header.metadata['optimizerSlots']);
    const slots = names.map((_name, i) => {
      const t = tensors[`optimizer.${String(i).padStart(5, '0')}`];
      if (!t) throw new CheckpointError(`checkpoint lists ${names.length} optimizer slots but slot ${i} is missing`);
      return t;
    });
    if (optimizer) validateOptimizerState(optimizer, model, names, slots);
    // loadStateDict checks every key and shape before it writes; the optimizer was validated above
    try {
      model.loadStateDict(modelDict, { strict: true });
    } catch (e) {
      throw new CheckpointError(`checkpoint does not fit this model: ${(e as Error).message}`);
    }
    if (!optimizer) return meta;
    await restoreOptimizerState(optimizer, model, names, slots);
    setRngState(meta.rngState);
    return meta;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/**
 * Everything that can be checked without building a tensor, cheapest first: the header parses, format
 * and version, the checksum (over header and metadata too, in version 3), the metadata, the tensor
 * names against the slot count, and that every weight is finite. A file declaring 100,000 tensors is
 * refused here for the cost of reading its header.
 */
function verify(bytes: Uint8Array): { header: CheckpointHeader; info: CheckpointInfo } {
  const header = readHeader(bytes);
  const { metadata } = header;
  if (metadata['format'] !== FORMAT) {
    throw new CheckpointError(
      `safetensors file has format "${metadata['format'] ?? ''}"; expected a ${FORMAT} (plain weights load with loadSafetensorsInto)`,
    );
  }
  const version = metadata['version'] ?? '';
  if (!READABLE.includes(version)) throw new CheckpointError(`checkpoint version "${version}"; expected one of ${READABLE.join(', ')}`);
  verifyChecksum(bytes, header, version);
  const info = parseInfo(metadata);
  checkStructure(header, slotNames(metadata['optimizerSlots']));
  assertFinite(bytes, header, 'load');
  return { header, info };
}

/** Builds the tensors of a verified checkpoint (the caller disposes them). */
function decodeTensors(bytes: Uint8Array): ReturnType<typeof loadSafetensors> {
  try {
    return loadSafetensors(bytes);
  } catch (e) {
    throw new CheckpointError(`not a readable checkpoint: ${(e as Error).message}`);
  }
}

function slotNames(text: string | undefined): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text ?? '[]');
  } catch (e) {
    throw new CheckpointError(`checkpoint metadata optimizerSlots is not valid JSON (${(e as Error).message}); the file is corrupt`);
  }
  if (!Array.isArray(v) || !v.every((n) => typeof n === 'string')) {
    throw new CheckpointError(`checkpoint metadata optimizerSlots = ${String(text).slice(0, 200)}; expected a JSON array of slot names`);
  }
  return v as string[];
}

function parseInfo(m: Record<string, string>): CheckpointInfo {
  const num = (k: string) => {
    const v = Number(m[k]);
    if (m[k] === undefined || m[k] === '' || !Number.isInteger(v) || v < 0)
      throw new CheckpointError(`checkpoint metadata ${k} = "${m[k] ?? ''}"; expected a non-negative integer`);
    return v;
  };
  const seedText = m['seed'];
  const seed = seedText ? Number(seedText) : undefined;
  if (seed !== undefined && !Number.isFinite(seed))
    throw new CheckpointError(`checkpoint metadata seed = "${seedText}"; expected a number or nothing`);
  const optimizer = m['optimizer'];
  if (!optimizer) throw new CheckpointError('checkpoint metadata has no optimizer class name; the file is corrupt');
  slotNames(m['optimizerSlots']);
  return {
    epoch: num('epoch'),
    step: num('step'),
    seed,
    rngState: num('rngState'),
    optimizer,
    arch: m['arch'] || undefined,
    training: m['training'] === undefined ? undefined : parseTraining(m['training']),
  };
}

/** The epoch is zero-padded to 5 digits for people listing the folder; order comes from the parsed number (listCheckpoints). */
export function checkpointName(prefix: string, epoch: number): string {
  return `${prefix}-epoch-${String(epoch).padStart(5, '0')}.safetensors`;
}

/**
 * Checkpoints of `prefix` in `storage`, oldest first: by the epoch parsed from the name (as text,
 * epoch 100000 sorted before 99999 and keepLast deleted the newest files), then by name.
 */
export async function listCheckpoints(storage: CheckpointStorage, prefix = 'checkpoint'): Promise<string[]> {
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-epoch-(\\d+)\\.safetensors$`);
  const found: [name: string, epoch: number][] = [];
  for (const name of await storage.list()) {
    const m = re.exec(name);
    if (m) found.push([name, Number(m[1])]);
  }
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh array; toSorted is ES2023
  return found.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name]) => name);
}

/** Bytes of the newest checkpoint, or undefined when there is none. */
export async function latestCheckpoint(storage: CheckpointStorage, prefix = 'checkpoint'): Promise<Uint8Array | undefined> {
  const names = await listCheckpoints(storage, prefix);
  const last = names.at(-1);
  return last === undefined ? undefined : storage.read(last);
}
