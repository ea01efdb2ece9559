import { loadSafetensorsInto, moduleToSafetensors, type Module } from '@logitlab/layers';
import { emit, exclusive, status } from '../app';
import { getItem, removeItem, setItem } from '../state/store';
import { weightsHash } from '../lib/weights-hash';
import { MODEL_IDS, RECIPES, type ModelId } from './recipes';
import { loadWeights, weightInfo, type WeightSource } from './weights';

/** What an accuracy label says about the weights in use, or null when nothing measured them. */
export interface Measured {
  accuracy: number;
  /** On which held-out digits, e.g. "MNIST" or "synthetic digits, measured in this page". */
  on: string;
}

export interface ZooEntry<M extends Module = Module> {
  id: ModelId;
  model: M;
  source: WeightSource;
  measured: Measured | null;
}

/** Weights the user adopted, as stored in IndexedDB (`hash` absent in records stored before links carried it). */
interface Stored {
  bytes: Uint8Array;
  source: WeightSource;
  measured: Measured | null;
  hash?: string;
}

const storedKey = (id: ModelId): string => `weights:${id}`;
const entries = new Map<ModelId, Promise<ZooEntry>>();

async function shippedMeasured(id: ModelId): Promise<Measured | null> {
  const info = await weightInfo(id);
  const acc = info?.metrics.heldOutAccuracy;
  return acc === undefined ? null : { accuracy: acc, on: /mnist/i.test(info?.data ?? '') ? 'MNIST' : 'synthetic digits' };
}

/** What a short in-page training run hands back: safetensors bytes and the held-out accuracy it measured. */
export interface TrainedWeights {
  weights: Uint8Array;
  heldOutAccuracy: number | null;
}

/** Trains a model briefly when no weights were shipped (the app injects the worker client: models/ imports no training code). */
export type FallbackTrainer = (id: ModelId, steps: number, onStep: (step: number) => void) => Promise<TrainedWeights>;

let fallbackTrainer: FallbackTrainer | null = null;

export function setFallbackTrainer(trainer: FallbackTrainer): void {
  fallbackTrainer = trainer;
}

/** Shipped weights, else a short run of the injected trainer (a worker: the page keeps working meanwhile). */
async function loadPretrained(entry: ZooEntry): Promise<void> {
  const { id, model } = entry;
  if (await loadWeights(model, id)) {
    entry.source = 'pretrained';
    entry.measured = await shippedMeasured(id);
    return;
  }
  const recipe = RECIPES[id];
  if (!fallbackTrainer) throw new Error(`no shipped weights for ${id}, and no trainer was set (setFallbackTrainer)`);
  status(`no shipped weights for ${id}: training it in a worker (${recipe.quickSteps} steps)…`);
  const result = await fallbackTrainer(
    id,
    recipe.quickSteps,
    (step) => step % 25 === 0 && status(`training ${id} in a worker: step ${step}/${recipe.quickSteps}`),
  );
  await exclusive(() => loadSafetensorsInto(model, result.weights));
  entry.source = 'trained in page';
  entry.measured =
    result.heldOutAccuracy == null ? null : { accuracy: result.heldOutAccuracy, on: 'synthetic digits, measured in this page' };
  status(`${id} trained in the page`);
}

/**
 * The one instance of each model the pages share. First use restores weights the user adopted
 * earlier (IndexedDB), else loads the shipped ones, else trains the model briefly.
 */
export function getModel<M extends Module = Module>(id: ModelId): Promise<ZooEntry<M>> {
  let p = entries.get(id);
  if (!p) {
    p = (async () => {
      const model = RECIPES[id].create();
      model.eval();
      const entry: ZooEntry = { id, model, source: 'untrained', measured: null };
      const stored = await getItem<Stored>(storedKey(id));
      if (stored) {
        try {
          loadSafetensorsInto(model, stored.bytes);
          Object.assign(entry, { source: stored.source, measured: stored.measured });
          return entry;
        } catch (e) {
          console.warn(`remembered weights for ${id} not loaded: ${(e as Error).message}`);
          await removeItem(storedKey(id));
        }
      }
      await loadPretrained(entry);
      return entry;
    })();
    entries.set(id, p);
    // A failed load must not poison the cache: the next visit tries again.
    p.catch(() => entries.delete(id));
  }
  return p as Promise<ZooEntry<M>>;
}

/**
 * Makes `bytes` (safetensors) the weights every tab uses for `id`, and remembers them. Strict: a
 * file for another architecture throws before any weight changes.
 */
export async function adoptWeights(id: ModelId, bytes: Uint8Array, source: WeightSource, measured: Measured | null): Promise<void> {
  const entry = await getModel(id);
  await exclusive(() => loadSafetensorsInto(entry.model, bytes));
  entry.source = source;
  entry.measured = measured;
  await setItem(storedKey(id), { bytes, source, measured, hash: weightsHash(bytes) } satisfies Stored);
  emit('weights', id);
}

/** Every model whose adopted or uploaded weights this browser remembers, with their fingerprint and source. */
export async function adoptedWeights(): Promise<Map<ModelId, { hash: string; source: WeightSource }>> {
  const out = new Map<ModelId, { hash: string; source: WeightSource }>();
  for (const id of MODEL_IDS) {
    const stored = await getItem<Stored>(storedKey(id));
    if (stored) out.set(id, { hash: stored.hash ?? weightsHash(stored.bytes), source: stored.source });
  }
  return out;
}

/** Forgets adopted weights and goes back to the shipped ones. */
export async function revertToPretrained(id: ModelId): Promise<void> {
  const entry = await getModel(id);
  await removeItem(storedKey(id));
  await exclusive(() => loadPretrained(entry));
  emit('weights', id);
}

/** The weights in use for `id`, as a safetensors file PyTorch's `safetensors.torch.load_file` reads. */
export async function currentWeights(id: ModelId): Promise<Uint8Array> {
  const entry = await getModel(id);
  return exclusive(() => moduleToSafetensors(entry.model, { model: id, source: entry.source }));
}

/** A one-line accuracy label that describes exactly the weights in use. */
export function accuracyLabel(entry: ZooEntry): string {
  if (entry.measured) return `held-out accuracy ${(entry.measured.accuracy * 100).toFixed(1)}% (${entry.measured.on})`;
  return entry.source === 'pretrained' ? '' : 'accuracy not measured for these weights';
}
