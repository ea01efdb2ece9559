import * as tf from '@tensorflow/tfjs-core';
import { vi } from 'vitest';

/** What a training run left besides its result: console warnings, and tensors and backend data ids. */
export interface Observed {
  warnings: string[];
  /** Tensors and backend data ids alive after the run beyond those alive before it. */
  leaked: { tensors: number; dataIds: number };
}

/**
 * Runs `body` (a fit, and the disposal of the model and optimizer it made) with console warnings collected
 * (kept off the test output), and counts what it leaked. `dataIds` counts the backend's live data ids
 * (backends' `backendDataIds`: a kernel's forgotten output is invisible to tf.memory()).
 */
export async function observeFit<T extends object>(body: () => Promise<T>, dataIds: () => number): Promise<T & Observed> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const tensors = tf.memory().numTensors;
  const ids = dataIds();
  try {
    const result = await body();
    const leaked = { tensors: tf.memory().numTensors - tensors, dataIds: dataIds() - ids };
    return { ...result, warnings: warn.mock.calls.map((c) => String(c[0])), leaked };
  } finally {
    warn.mockRestore();
  }
}
