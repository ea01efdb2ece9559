import type { TrainedWeights } from '../models/zoo';
import type { ModelId } from '../models/recipes';
import { TrainRun } from './client';

/** The zoo's fallback when no weights were shipped: a short run in the training worker on wasm. */
export async function trainInWorker(id: ModelId, steps: number, onStep: (step: number) => void): Promise<TrainedWeights> {
  const run = new TrainRun({ id, steps, backend: 'wasm' }, { onLosses: (p) => p.at(-1) && onStep(p.at(-1)!.step) });
  const result = await run.done;
  return { weights: result.weights, heldOutAccuracy: result.heldOut?.accuracy ?? null };
}
