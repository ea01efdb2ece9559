import * as tf from '@tensorflow/tfjs-core';

/**
 * The one place outside the backends' kernels where logitlab reads tfjs engine state that tfjs-core
 * does not export as API (the package-graph check in `pnpm lint` allows `engine()` only in this
 * package). engine-compat.test.ts pins what it relies on, so a tfjs upgrade that moves it fails there.
 */

/** Every live tf.Variable (model weights, optimizer slots): what must survive a backend switch. */
export function registeredVariables(): tf.Variable[] {
  return Object.values(tf.engine().registeredVariables);
}
