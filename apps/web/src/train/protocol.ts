import type { FitCompilation } from '@logitlab/train';
import type { ModelId } from '../models/recipes';
import type { TrainSettings } from './settings';

/** Messages from the page to the training worker. */
export type ToWorker =
  /** `settings` absent: the recipe's own (learning rate, batch size, optimiser, widths). */
  | { type: 'start'; id: ModelId; steps: number; backend: string; evalEvery: number; settings: TrainSettings | null }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'backend'; name: string };

/** One optimiser step's loss, with the worker's clock (for a steps/s over the last seconds). */
export interface LossPoint {
  step: number;
  loss: number;
  time: number;
}

/** The model measured on digits it never trains on (accuracy null where accuracy means nothing). */
export interface HeldOutPoint {
  step: number;
  loss: number;
  accuracy: number | null;
}

/** fit's own account of how it ran the steps so far (its callbacks' `ctx.compilation`), with the optimiser steps done. */
export interface ReplayReport extends FitCompilation {
  steps: number;
}

/** Messages from the training worker to the page. */
export type FromWorker =
  | { type: 'backend'; name: string; note: string }
  | { type: 'losses'; points: LossPoint[] }
  | { type: 'heldOut'; point: HeldOutPoint }
  /** After every step, with that step counted. */
  | { type: 'replay'; report: ReplayReport }
  | { type: 'warning'; message: string }
  | { type: 'paused'; paused: boolean }
  /** Training ended (finished or stopped): the weights as safetensors bytes, not yet used anywhere. */
  | { type: 'done'; weights: ArrayBuffer; steps: number; stopped: boolean; heldOut: HeldOutPoint | null }
  | { type: 'error'; message: string };
