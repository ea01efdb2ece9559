import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type Module, loadSafetensors, saveSafetensors } from '@logitlab/layers';
import { UsageError } from './errors';
import { writeFileAtomic } from './fsutil';

const OPTIM_PREFIX = '__optimizer__.';

/** What a checkpoint says about itself (safetensors metadata is string -> string). */
export interface CheckpointMeta {
  tag: string;
  arch: string;
  /** Epochs completed when this was written (1-based count). */
  epoch: number;
  epochs: number;
  optimizerNames: string[];
}

export function checkpointPath(runDir: string, tag: string): string {
  return path.join(runDir, 'checkpoints', `${tag}.safetensors`);
}

/**
 * Model weights (PyTorch names and layouts) plus the optimizer's slots (by position, which is how
 * tfjs optimizers match them to variables) in one safetensors file, written atomically: a SIGKILL
 * during the write leaves the previous epoch's checkpoint intact.
 */
export async function saveCheckpoint(file: string, model: Module, optimizer: tf.Optimizer | undefined, meta: Omit<CheckpointMeta, 'optimizerNames'>): Promise<void> {
  const dict = model.stateDict();
  const optimWeights = optimizer ? await optimizer.getWeights() : [];
  optimWeights.forEach((w, i) => {
    dict[`${OPTIM_PREFIX}${i}`] = w.tensor;
  });
  try {
    const bytes = saveSafetensors(dict, {
      tag: meta.tag,
      arch: meta.arch,
      epoch: String(meta.epoch),
      epochs: String(meta.epochs),
      optimizerNames: JSON.stringify(optimWeights.map((w) => w.name)),
    });
    writeFileAtomic(file, bytes);
  } finally {
    // getWeights hands out the optimizer's live slot variables (momentum, Adam moments): keep those.
    tf.dispose(Object.values(dict).filter((t) => !(t instanceof tf.Variable)));
  }
}

export function readCheckpointMeta(file: string): CheckpointMeta | undefined {
  if (!fs.existsSync(file)) return undefined;
  const { tensors, metadata } = loadSafetensors(new Uint8Array(fs.readFileSync(file)));
  tf.dispose(Object.values(tensors));
  return parseMeta(metadata, file);
}

function parseMeta(metadata: Record<string, string> | undefined, file: string): CheckpointMeta {
  const m = metadata ?? {};
  const epoch = Number(m.epoch);
  if (!m.arch || !Number.isInteger(epoch)) throw new UsageError(`${file} is not a logitlab checkpoint (no arch/epoch metadata)`, 1);
  return {
    tag: m.tag ?? path.basename(file, '.safetensors'),
    arch: m.arch,
    epoch,
    epochs: Number(m.epochs ?? epoch),
    optimizerNames: JSON.parse(m.optimizerNames ?? '[]') as string[],
  };
}

/**
 * Restores model (and optimizer) from a checkpoint. A checkpoint of another architecture is a user
 * error (wrong --resume dir), reported in one line before any weight is touched.
 */
export async function loadCheckpoint(file: string, model: Module, optimizer: tf.Optimizer | undefined, expectedArch: string): Promise<CheckpointMeta> {
  let parsed: ReturnType<typeof loadSafetensors>;
  try {
    parsed = loadSafetensors(new Uint8Array(fs.readFileSync(file)));
  } catch (err) {
    throw new UsageError(`cannot read checkpoint ${file}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  const { tensors } = parsed;
  try {
    const meta = parseMeta(parsed.metadata, file);
    if (meta.arch !== expectedArch) {
      throw new UsageError(`checkpoint ${file} holds a ${meta.arch}, but this run builds a ${expectedArch}`, 1);
    }
    const modelDict: Record<string, tf.Tensor> = {};
    for (const [k, t] of Object.entries(tensors)) if (!k.startsWith(OPTIM_PREFIX)) modelDict[k] = t;
    try {
      model.loadStateDict(modelDict);
    } catch (err) {
      throw new UsageError(`checkpoint ${file} does not fit ${expectedArch}: ${err instanceof Error ? err.message : String(err)}`, 1);
    }
    if (optimizer && meta.optimizerNames.length) {
      const weights = meta.optimizerNames.map((name, i) => {
        const t = tensors[`${OPTIM_PREFIX}${i}`];
        if (!t) throw new UsageError(`checkpoint ${file} lacks optimizer slot ${i} (${name})`, 1);
        return { name, tensor: t };
      });
      await optimizer.setWeights(weights);
    }
    return meta;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
