import * as tf from '@tensorflow/tfjs-core';
import { getRngState, loadSafetensors, type Module, saveSafetensors, setRngState, type StateDict } from '@logitlab/layers';
import { crc32 } from '@logitlab/core';
import { ArchitectureMismatchError, CheckpointError } from './errors';
import { restoreOptimizerState, saveOptimizerState, validateOptimizerState } from './optimizer-state';
import type { CheckpointStorage } from './storage';
import { parseTraining, stable, type TrainingState } from './training-state';

const FORMAT = 'logitlab-checkpoint';
/** 2: adds `checksum` (CRC-32 of the tensor data) and `training`; version 1 files (no checksum) still load. */
const VERSION = '2';
const METADATA = '__metadata__';

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
 * scheduler state, and a CRC-32 of all tensor bytes (verified on load).
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
    });
    return withChecksum(bytes);
  } finally {
    tf.dispose(Object.values(state));
    opt.release();
  }
}

/** Reads a checkpoint's metadata without touching any model (checksum and metadata verified). */
export function readCheckpointInfo(bytes: Uint8Array): CheckpointInfo {
  const { tensors, metadata } = decode(bytes);
  tf.dispose(Object.values(tensors));
  return parseInfo(metadata);
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
  const { tensors, metadata } = decode(bytes);
  try {
    const meta = parseInfo(metadata);
    if (options.arch !== undefined && meta.arch !== undefined && options.arch !== meta.arch)
      throw new ArchitectureMismatchError(options.arch, meta.arch);
    if (optimizer && optimizer.iterations !== 0) {
      throw new CheckpointError(
        `cannot resume into an optimizer that has already taken ${optimizer.iterations} steps; expected a fresh one`,
      );
    }
    if (optimizer && meta.optimizer !== optimizer.getClassName()) {
      throw new CheckpointError(
        `checkpoint was written with optimizer ${meta.optimizer}; expected it to be resumed with the same, got ${optimizer.getClassName()}`,
      );
    }
    const modelDict: StateDict = {};
    for (const [k, t] of Object.entries(tensors)) if (k.startsWith('model.')) modelDict[k.slice(6)] = t;
    const names = slotNames(metadata['optimizerSlots']);
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

/** Where the tensor data starts: after the 8-byte length and the JSON header. */
function dataStart(bytes: Uint8Array): number {
  return 8 + Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
}

/** Adds `checksum` (CRC-32 of the data section) to the header; the data bytes are unchanged. */
function withChecksum(bytes: Uint8Array): Uint8Array {
  const start = dataStart(bytes);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, start))) as Record<string, Record<string, string>>;
  (header[METADATA] as Record<string, string>)['checksum'] = `crc32:${crc32(bytes.subarray(start)).toString(16).padStart(8, '0')}`;
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + bytes.length - start);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  out.set(bytes.subarray(start), 8 + head.length);
  return out;
}

function decode(bytes: Uint8Array): ReturnType<typeof loadSafetensors> {
  let out: ReturnType<typeof loadSafetensors>;
  try {
    out = loadSafetensors(bytes);
  } catch (e) {
    throw new CheckpointError(`not a readable checkpoint: ${(e as Error).message}`);
  }
  try {
    if (out.metadata['format'] !== FORMAT) {
      throw new CheckpointError(
        `safetensors file has format "${out.metadata['format'] ?? ''}"; expected a ${FORMAT} (plain weights load with loadSafetensorsInto)`,
      );
    }
    const version = out.metadata['version'];
    if (version !== '1' && version !== VERSION)
      throw new CheckpointError(`checkpoint version "${version ?? ''}"; expected 1 or ${VERSION}`);
    const stored = out.metadata['checksum'];
    if (version !== '1' || stored !== undefined) {
      const actual = `crc32:${crc32(bytes.subarray(dataStart(bytes)))
        .toString(16)
        .padStart(8, '0')}`;
      if (stored !== actual)
        throw new CheckpointError(`checkpoint checksum is ${stored ?? '(missing)'} but its data hashes to ${actual}; the file is corrupt`);
    }
  } catch (e) {
    tf.dispose(Object.values(out.tensors));
    throw e;
  }
  return out;
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

/** Checkpoint names sort by epoch because the epoch is zero-padded. */
export function checkpointName(prefix: string, epoch: number): string {
  return `${prefix}-epoch-${String(epoch).padStart(5, '0')}.safetensors`;
}

/** Checkpoints of `prefix` in `storage`, oldest first. */
export async function listCheckpoints(storage: CheckpointStorage, prefix = 'checkpoint'): Promise<string[]> {
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-epoch-\\d+\\.safetensors$`);
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh array; toSorted is ES2023
  return (await storage.list()).filter((n) => re.test(n)).sort();
}

/** Bytes of the newest checkpoint, or undefined when there is none. */
export async function latestCheckpoint(storage: CheckpointStorage, prefix = 'checkpoint'): Promise<Uint8Array | undefined> {
  const names = await listCheckpoints(storage, prefix);
  const last = names.at(-1);
  return last === undefined ? undefined : storage.read(last);
}
