import type { Module } from '@logitlab/layers';

// Puts every module in eval mode (Dropout off, BatchNorm on running statistics); the returned function
// restores each module's own mode.
function evalModes(model: Module): () => void {
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  return () => {
    for (const [m, training] of modes) m.training = training;
  };
}

/** Runs fn with every module in eval mode, restoring each module's mode after. */
export function inEvalMode<T>(model: Module, fn: () => T): T {
  const restore = evalModes(model);
  try {
    return fn();
  } finally {
    restore();
  }
}

/** inEvalMode for an asynchronous fn: the modes are restored once its promise settles. */
export async function inEvalModeAsync<T>(model: Module, fn: () => Promise<T>): Promise<T> {
  const restore = evalModes(model);
  try {
    return await fn();
  } finally {
    restore();
  }
}
