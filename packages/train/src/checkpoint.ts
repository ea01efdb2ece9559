import * as tf from '@tensorflow/tfjs-core';
import { getRngState, loadSafetensors, type Module, saveSafetensors, setRngState, type StateDict } from '@logitlab/layers';
import { ArchitectureMismatchError, CheckpointError } from './errors';
import { restoreOptimizerState, saveOptimizerState } from './optimizer-state';
import type { CheckpointStorage } from './storage';

const FORMAT = 'logitlab-checkpoint';
const VERSION = '1';

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
  /** The architecture description the run gave (fit's `arch`), when it gave one. */
  arch: string | undefined;
}

export interface LoadCheckpointOptions {
  /**
   * The architecture the caller builds. When both it and the checkpoint name one and they differ,
   * loading throws ArchitectureMismatchError before touching any weight (a clearer message than a
   * missing-key list, and it catches same-shaped models of another kind).
   */
  arch?: string;
}

/**
 * One safetensors file: `model.<key>` (the PyTorch-layout state dict, so `model.*` loads in
 * PyTorch after stripping the prefix), `optimizer.<index>` (slots, in tfjs's positional order),
 * and metadata with epoch, step, seed, RNG state and the slot names.
 */
export async function saveCheckpoint(model: Module, optimizer: tf.Optimizer, info: Omit<CheckpointInfo, 'optimizer' | 'rngState' | 'arch'> & { rngState?: number; arch?: string }): Promise<Uint8Array> {
  const state = model.stateDict();
  const opt = await saveOptimizerState(optimizer, model);
  try {
    const dict: StateDict = {};
    for (const [k, t] of Object.entries(state)) dict[`model.${k}`] = t;
    opt.tensors.forEach((t, i) => (dict[`optimizer.${String(i).padStart(5, '0')}`] = t));
    return saveSafetensors(dict, {
      format: FORMAT,
      version: VERSION,
      epoch: String(info.epoch),
      step: String(info.step),
      seed: info.seed === undefined ? '' : String(info.seed),
      rngState: String(info.rngState ?? getRngState()),
      optimizer: optimizer.getClassName(),
      optimizerSlots: JSON.stringify(opt.names),
      ...(info.arch === undefined ? {} : { arch: info.arch }),
    });
  } finally {
    tf.dispose(Object.values(state));
    opt.release();
  }
}

/** Reads a checkpoint's metadata without touching any model. */
export function readCheckpointInfo(bytes: Uint8Array): CheckpointInfo {
  const { tensors, metadata } = decode(bytes);
  tf.dispose(Object.values(tensors));
  return parseInfo(metadata);
}

/**
 * Restores model weights (strict: the architecture must match), optimizer slots, and the layers'
 * RNG state. The optimizer must be fresh and of the same class. Returns where to resume.
 * Without an optimizer only the weights are restored (to evaluate a checkpoint); the RNG is left alone.
 */
export async function loadCheckpoint(bytes: Uint8Array, model: Module, optimizer?: tf.Optimizer, options: LoadCheckpointOptions = {}): Promise<CheckpointInfo> {
  const { tensors, metadata } = decode(bytes);
  try {
    const meta = parseInfo(metadata);
    if (options.arch !== undefined && meta.arch !== undefined && options.arch !== meta.arch) throw new ArchitectureMismatchError(options.arch, meta.arch);
    if (optimizer && optimizer.iterations !== 0) {
      throw new CheckpointError(`cannot resume into an optimizer that has already taken ${optimizer.iterations} steps; expected a fresh one`);
    }
    if (optimizer && meta.optimizer !== optimizer.getClassName()) {
      throw new CheckpointError(`checkpoint was written with optimizer ${meta.optimizer}; expected it to be resumed with the same, got ${optimizer.getClassName()}`);
    }
    const modelDict: StateDict = {};
    for (const [k, t] of Object.entries(tensors)) if (k.startsWith('model.')) modelDict[k.slice(6)] = t;
    try {
      model.loadStateDict(modelDict, { strict: true });
    } catch (e) {
      throw new CheckpointError(`checkpoint does not fit this model: ${(e as Error).message}`);
    }
    if (!optimizer) return meta;
    const names = JSON.parse(metadata['optimizerSlots'] ?? '[]') as string[];
    const slots = names.map((_name, i) => {
      const t = tensors[`optimizer.${String(i).padStart(5, '0')}`];
      if (!t) throw new CheckpointError(`checkpoint lists ${names.length} optimizer slots but slot ${i} is missing`);
      return t;
    });
    await restoreOptimizerState(optimizer, model, names, slots);
    setRngState(meta.rngState);
    return meta;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

function decode(bytes: Uint8Array): ReturnType<typeof loadSafetensors> {
  let out: ReturnType<typeof loadSafetensors>;
  try {
    out = loadSafetensors(bytes);
  } catch (e) {
    throw new CheckpointError(`not a readable checkpoint: ${(e as Error).message}`);
  }
  if (out.metadata['format'] !== FORMAT) {
    tf.dispose(Object.values(out.tensors));
    throw new CheckpointError(`safetensors file has format "${out.metadata['format'] ?? ''}"; expected a ${FORMAT} (plain weights load with loadSafetensorsInto)`);
  }
  return out;
}

function parseInfo(m: Record<string, string>): CheckpointInfo {
  const num = (k: string) => {
    const v = Number(m[k]);
    if (!Number.isInteger(v) || v < 0) throw new CheckpointError(`checkpoint metadata ${k} = "${m[k]}"; expected a non-negative integer`);
    return v;
  };
  return { epoch: num('epoch'), step: num('step'), seed: m['seed'] ? Number(m['seed']) : undefined, rngState: num('rngState'), optimizer: m['optimizer'] ?? '', arch: m['arch'] || undefined };
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
