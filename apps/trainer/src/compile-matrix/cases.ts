import * as tf from '@tensorflow/tfjs-core';
import { Dropout, Linear, type Module, ReLU, Sequential } from '@logitlab/layers';
import { crossEntropy } from '@logitlab/losses';
import { cosineAnnealingLR, oneCycleLR, reduceLROnPlateau, stepLR } from '@logitlab/train';
import { type AnyCase, matrixCase, randomLoader } from './harness';

/** A dropout MLP on 38 samples in batches of 4 (the last of 2: a re-trace every epoch), 10 epochs: 100 steps. */
const base = {
  model: (): Module => new Sequential(new Linear(4, 16), new ReLU(), new Dropout(0.2), new Linear(16, 3)),
  data: () => randomLoader(38, [4], [], 3, 4, 21),
  epochs: 10,
};
const momentum = () => tf.train.momentum(0.05, 0.9);
const adam = () => tf.train.adam(0.01);
const sgd = () => tf.train.sgd(0.1);

/**
 * Covering every optimiser (SGD, SGD + momentum, Adam, AdamW: Adam with decoupled decay), every
 * scheduler, clipping by value and by norm, accumulation, and both weight-decay modes, each at least
 * twice in some combination (the full product would be 200 runs).
 */
export const OPTION_CASES: AnyCase[] = [
  matrixCase({
    name: 'SGD + momentum, stepLR, clip by value, coupled L2',
    ...base,
    optimizer: momentum,
    scheduler: () => stepLR({ stepSize: 30, gamma: 0.5 }),
    options: { loss: crossEntropy, gradClip: { value: 0.05 }, weightDecay: { value: 0.01, mode: 'l2' } },
  }),
  matrixCase({
    name: 'Adam, cosineAnnealingLR, clip by norm',
    ...base,
    optimizer: adam,
    scheduler: () => cosineAnnealingLR({ tMax: 100, etaMin: 0.001 }),
    options: { loss: crossEntropy, gradClip: { maxNorm: 0.5 } },
  }),
  matrixCase({
    name: 'AdamW, oneCycleLR, clip by norm',
    ...base,
    optimizer: adam,
    scheduler: () => oneCycleLR({ maxLr: 0.05, totalSteps: 100 }),
    options: { loss: crossEntropy, gradClip: { maxNorm: 1 }, weightDecay: { value: 0.05, mode: 'decoupled' } },
  }),
  matrixCase({
    name: 'SGD + momentum, reduceLROnPlateau, decoupled decay, accumulation 3',
    ...base,
    optimizer: momentum,
    scheduler: () => reduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5 }),
    options: { loss: crossEntropy, weightDecay: { value: 0.02, mode: 'decoupled' }, accumulateSteps: 3 },
  }),
  matrixCase({
    name: 'Adam, stepLR, coupled L2, clip by value, accumulation 2',
    ...base,
    optimizer: adam,
    scheduler: () => stepLR({ stepSize: 10, gamma: 0.7 }),
    options: { loss: crossEntropy, gradClip: { value: 0.1 }, weightDecay: { value: 0.01, mode: 'l2' }, accumulateSteps: 2 },
  }),
  matrixCase({
    name: 'AdamW, cosineAnnealingLR, clip by norm, accumulation 4',
    ...base,
    optimizer: adam,
    scheduler: () => cosineAnnealingLR({ tMax: 30 }),
    options: { loss: crossEntropy, gradClip: { maxNorm: 0.3 }, weightDecay: { value: 0.1, mode: 'decoupled' }, accumulateSteps: 4 },
  }),
  matrixCase({
    name: 'SGD, oneCycleLR, clip by value',
    ...base,
    optimizer: sgd,
    scheduler: () => oneCycleLR({ maxLr: 0.2, totalSteps: 100, annealStrategy: 'linear' }),
    options: { loss: crossEntropy, gradClip: { value: 0.2 } },
  }),
  matrixCase({
    name: 'Adam, reduceLROnPlateau',
    ...base,
    optimizer: adam,
    scheduler: () => reduceLROnPlateau({ monitor: 'loss', patience: 0, factor: 0.3 }),
    options: { loss: crossEntropy },
  }),
];
