import * as tf from '@tensorflow/tfjs-core';

/** Every live tf.Variable (model weights, optimizer slots): what must survive a backend switch (engine().registeredVariables, see TFJS_INTERNALS). */
export function registeredVariables(): tf.Variable[] {
  return Object.values(tf.engine().registeredVariables);
}
