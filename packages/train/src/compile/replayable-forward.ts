import { isReplayable } from '@logitlab/core';
import type { Module } from '@logitlab/layers';

/**
 * Whether a replay may stand in for the forward's JavaScript: `forward` when given, else every module's
 * own forward must be marked `replayable` (the library's layers and models are; a module of the user's
 * may count its calls or log, and a replay would silently skip that). The one rule of 'auto' for fit
 * and evaluate.
 */
export function forwardIsReplayable<M extends Module>(model: M, forward: ((model: M, ...args: never[]) => unknown) | undefined): boolean {
  return forward === undefined ? model.namedModules().every(([, m]) => isReplayable(m.forward)) : isReplayable(forward);
}
