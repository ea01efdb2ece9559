import { LogitlabError } from '@logitlab/core';

/** tfjs-core version whose internals this module was written and tested against. */
export const TESTED_TFJS_VERSION = '4.22.0';

/**
 * Every tfjs-core internal used here, with why. compat.test.ts checks each still exists with the
 * expected type; a tfjs upgrade that changes one fails that test instead of training silently wrong.
 */
export const TFJS_INTERNALS = [
  {
    what: 'Optimizer#learningRate (number field of Adam, Adamax, Adagrad, Adadelta, RMSProp)',
    why: 'only SGD / Momentum have a public setLearningRate; schedulers must set the rate of the others',
  },
  {
    what: 'AdamOptimizer#accBeta1 / #accBeta2 (scalar Variables, running beta^t products)',
    why: 'setWeights recomputes them with pow(beta, t), which differs in the last bit: saving them keeps a resume bit-identical',
  },
  {
    what: 'engine().registeredVariables (every live tf.Variable)',
    why: 'a backend switch must carry every variable over; tfjs has no public list of them',
  },
  {
    what: 'engine().state.activeTape / gradientDepth (the gradient tape and its saved tensors)',
    why: 'when the objective throws, engine.gradients never frees the tensors the tape kept for backprop (13-20 per step)',
  },
  {
    what: 'Optimizer#iterations_ (the step counter behind the public iterations getter)',
    why: 'a replayed step never runs applyGradients, which counts; checkpoints save the count',
  },
  {
    what: 'engine().runKernel / makeTensor / makeVariable / readSync / read / readToGPU / nextTensorId, Variable.prototype.assign',
    why: 'traceStep wraps them for the length of one recorded step (kernel calls, constants, host reads, assignments)',
  },
  {
    what: "the engine's Identity clone of every tensor a gradient saves, run inside the kernel call that saves it",
    why: 'traceStep reads the clone as its source (the clone shares its data); replays need no Identity for it',
  },
] as const;

/** A tfjs internal this module relies on is missing or has another type (a tfjs upgrade?). */
export class CompatError extends LogitlabError {
  override name = 'CompatError';
}
