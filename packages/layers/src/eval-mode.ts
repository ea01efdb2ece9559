import type { Module } from './module';
import { BatchNorm1d, BatchNorm2d } from './batchnorm';
import { Dropout, Dropout2d } from './dropout';
import { callSite, registerPitfallSource, warnPitfall } from '@logitlab/core';
import { ModeError } from './errors';

// Frames in this package are library code: a warning is keyed by the user's call site.
registerPitfallSource();

/** Names of BatchNorm / Dropout submodules still in train mode (they make evaluation wrong or random). */
export function modulesInTrainMode(model: Module): string[] {
  return model
    .namedModules()
    .filter(
      ([, m]) => m.training && (m instanceof BatchNorm1d || m instanceof BatchNorm2d || m instanceof Dropout || m instanceof Dropout2d),
    )
    .map(([name, m]) => `${name || '(root)'} (${m.constructor.name})`);
}

/**
 * Call before evaluating: warns (once per call site) when BatchNorm or Dropout layers are still in
 * train mode, the PyTorch pitfall of a forgotten model.eval(). Returns true when the model is safe.
 */
export function warnIfTraining(model: Module): boolean {
  const offenders = modulesInTrainMode(model);
  if (offenders.length === 0) return true;
  warnPitfall(
    'train-mode-eval',
    callSite(),
    `evaluating a model in train mode: ${offenders.join(', ')} use batch statistics / random masks. Call model.eval() first.`,
  );
  return false;
}

/** Like warnIfTraining, but throws: for evaluation code that must never run in train mode. */
export function assertEvalMode(model: Module): void {
  const offenders = modulesInTrainMode(model);
  if (offenders.length) throw new ModeError(`assertEvalMode: ${offenders.join(', ')} in train mode; call model.eval() first`);
}
