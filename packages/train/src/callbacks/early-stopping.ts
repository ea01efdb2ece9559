import * as tf from '@tensorflow/tfjs-core';
import type { Module, StateDict } from '@logitlab/layers';
import { TrainError } from '../errors';
import type { Callback } from '../types';

export interface EarlyStoppingOptions {
  /** Epoch log to watch, e.g. 'val_loss' (default), 'loss', 'val_accuracy'. */
  monitor?: string;
  /** 'min' for losses (default), 'max' for accuracies. */
  mode?: 'min' | 'max';
  /** Epochs without improvement before stopping. Default 3. */
  patience?: number;
  /** An improvement must beat the best by more than this. Default 0. */
  minDelta?: number;
  /** Load the best epoch's weights back when training ends. Default false. */
  restoreBestWeights?: boolean;
}

/** Stops training when `monitor` has not improved for `patience` epochs (Keras / Lightning semantics). */
export function earlyStopping<M extends Module = Module>(
  options: EarlyStoppingOptions = {},
): Callback<M> & { readonly bestEpoch: number; readonly best: number } {
  const { monitor = 'val_loss', mode = 'min', patience = 3, minDelta = 0, restoreBestWeights = false } = options;
  let best = mode === 'min' ? Infinity : -Infinity;
  let bestEpoch = -1;
  let wait = 0;
  let bestState: StateDict | undefined;
  const dropBest = () => {
    if (bestState) tf.dispose(Object.values(bestState));
    bestState = undefined;
  };
  return {
    get best() {
      return best;
    },
    get bestEpoch() {
      return bestEpoch;
    },
    onTrainBegin() {
      best = mode === 'min' ? Infinity : -Infinity;
      bestEpoch = -1;
      wait = 0;
      dropBest();
    },
    onEpochEnd(ctx, logs) {
      const value = logs[monitor];
      if (value === undefined) {
        throw new TrainError(
          `earlyStopping monitors "${monitor}" but the epoch logs have [${Object.keys(logs).join(', ')}]; add validation or pick one of those`,
        );
      }
      const improved = mode === 'min' ? value < best - minDelta : value > best + minDelta;
      if (improved) {
        best = value;
        bestEpoch = logs.epoch;
        wait = 0;
        if (restoreBestWeights) {
          dropBest();
          bestState = ctx.model.stateDict();
        }
        return;
      }
      wait++;
      if (wait >= patience)
        ctx.stop(`early stopping: ${monitor} did not improve for ${patience} epochs (best ${best} at epoch ${bestEpoch})`, 'earlyStopping');
    },
    onTrainEnd(ctx) {
      if (bestState) ctx.model.loadStateDict(bestState);
      dropBest();
    },
  };
}
