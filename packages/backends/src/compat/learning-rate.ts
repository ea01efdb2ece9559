import type * as tf from '@tensorflow/tfjs-core';
import { CompatError } from './internals';

interface WithPublicSetter {
  setLearningRate(lr: number): void;
}

/** The optimizer's learning rate, from its public config. */
export function optimizerLearningRate(optimizer: tf.Optimizer): number {
  const lr = optimizer.getConfig()['learningRate'];
  if (typeof lr !== 'number')
    throw new CompatError(`optimizer ${optimizer.getClassName()} has no numeric learningRate in its config; expected one`);
  return lr;
}

/**
 * Sets the learning rate for the next step. SGD and Momentum have a public setter (it also rebuilds
 * the kept -lr scalar they multiply by); the other tfjs optimizers read a plain `learningRate` field
 * on every step, which is set directly.
 */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as Partial<WithPublicSetter> & { learningRate?: unknown };
  if (typeof o.setLearningRate === 'function') {
    o.setLearningRate(lr);
    return;
  }
  if (typeof o.learningRate !== 'number') {
    throw new CompatError(`cannot set the learning rate of ${optimizer.getClassName()}: no learningRate field (tfjs internals changed?)`);
  }
  o.learningRate = lr;
}
