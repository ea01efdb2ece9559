import * as tf from '@tensorflow/tfjs-core';
import { ModelInputError, ModelOptionsError } from '../errors';
import { propagate } from './propagate';
import { inputRule, zPlusRule, zRule, type InputRuleName, type Rule, type RuleContext } from './rules';

/** One dense layer of an explainable network as Deep Taylor sees it (weights in PyTorch layout). */
export type DenseStage = {
  /** [out, in]. */
  weight: tf.Tensor2D;
  /** [out]; used for the forward pass only — z+ and zB ignore biases, as in the paper. */
  bias?: tf.Tensor1D;
  activation: 'relu' | 'linear';
  /** Which rule redistributes this stage's output relevance onto its input. */
  rule: 'input' | 'zPlus' | 'z';
};

/**
 * A network that is a chain of dense stages whose output is the SUM of the last stage's activations
 * (sum-pooling of everything), as the Montavon et al. 2017 network is. The last activations are the
 * top-layer relevances, so sum(R) = f(x) by construction.
 */
export interface DeepTaylorExplainable {
  readonly inputSize: number;
  forward(x: tf.Tensor): tf.Tensor;
  /** Fresh copies the caller disposes. */
  deepTaylorStages(): DenseStage[];
}

export type ExplainMethod = 'deepTaylor' | 'sensitivity' | 'gradientTimesInput';

export interface ExplainOptions {
  method?: ExplainMethod;
  /** Rule for the first (pixel) layer; hidden ReLU layers always use z+. */
  inputRule?: InputRuleName;
  /** Pixel domain [l, h] for zB (the paired-digit coding is [-0.5, 1.5]). */
  bounds?: [number, number];
}

export interface Conservation {
  /** sum of relevance per image. */
  total: Float32Array;
  /** f(x) per image. */
  output: Float32Array;
  /** |total - output| / |output|, or |total - output| where f(x) = 0. */
  relError: Float32Array;
}

export interface Explanation {
  /** Same shape as x; the caller disposes it. */
  relevance: tf.Tensor;
  conservation: Conservation;
}

/**
 * Explains f(x) per image. `deepTaylor` runs the rules of Montavon et al. 2017 (inputRule on the
 * pixel layer, proportional redistribution through sum-pooling, z+ through ReLU detection layers);
 * `sensitivity` is (df/dx)^2; `gradientTimesInput` is x * df/dx. Conservation is always reported.
 */
export function explain(model: DeepTaylorExplainable, x: tf.Tensor, options: ExplainOptions = {}): Explanation {
  const { method = 'deepTaylor', inputRule: inputRuleName = 'zB', bounds = [-0.5, 1.5] } = options;
  if (!['deepTaylor', 'sensitivity', 'gradientTimesInput'].includes(method)) {
    throw new ModelOptionsError(`explain: unknown method '${String(method)}', expected 'deepTaylor', 'sensitivity' or 'gradientTimesInput'`);
  }
  if (!['zB', 'wSquare', 'zPlus'].includes(inputRuleName)) {
    throw new ModelOptionsError(`explain: unknown inputRule '${String(inputRuleName)}', expected 'zB', 'wSquare' or 'zPlus'`);
  }
  const [low, high] = bounds;
  if (!(low < high)) throw new ModelOptionsError(`explain: bounds must be [low, high] with low < high, got [${low}, ${high}]`);
  const n = x.shape[0] ?? 0;
  if (x.rank < 2 || n * model.inputSize !== x.size) {
    throw new ModelInputError(`explain: expected a batch of ${model.inputSize} values per image, got shape [${x.shape.join(', ')}]`);
  }

  const [relevance, output] = tf.tidy(() => {
    const flat = tf.reshape(x, [n, model.inputSize]) as tf.Tensor2D;
    if (method === 'deepTaylor') {
      const { relevance: r, output: f } = deepTaylor(model, flat, inputRule(inputRuleName), { low, high });
      return [tf.reshape(r, x.shape), f];
    }
    const f = (t: tf.Tensor): tf.Tensor => tf.sum(model.forward(tf.reshape(t, x.shape)));
    const grad = tf.grad(f)(flat);
    const r = method === 'sensitivity' ? tf.square(grad) : tf.mul(flat, grad);
    return [tf.reshape(r, x.shape), tf.reshape(model.forward(x), [n])];
  });
  const conservation = tf.tidy(() => {
    const total = tf.sum(tf.reshape(relevance, [n, -1]), 1);
    const diff = tf.abs(tf.sub(total, output));
    const absOut = tf.abs(output);
    const rel = tf.where(tf.greater(absOut, 0), tf.div(diff, tf.maximum(absOut, 1e-30)), diff);
    return { total: total.dataSync() as Float32Array, output: output.dataSync() as Float32Array, relError: rel.dataSync() as Float32Array };
  });
  output.dispose();
  return { relevance, conservation };
}

function deepTaylor(model: DeepTaylorExplainable, x: tf.Tensor2D, first: Rule, ctx: RuleContext): { relevance: tf.Tensor2D; output: tf.Tensor1D } {
  const stages = model.deepTaylorStages();
  try {
    const inputs: tf.Tensor2D[] = [];
    let a = x;
    for (const stage of stages) {
      inputs.push(a);
      let z = tf.matMul(a, stage.weight, false, true);
      if (stage.bias) z = tf.add(z, stage.bias);
      a = (stage.activation === 'relu' ? tf.relu(z) : z) as tf.Tensor2D;
    }
    // top layer sums every unit: each unit's relevance is its own activation
    let r = a;
    const rules: Record<DenseStage['rule'], Rule> = { input: first, zPlus: zPlusRule(), z: zRule() };
    for (let i = stages.length - 1; i >= 0; i--) {
      const stage = stages[i]!;
      r = propagate(rules[stage.rule], inputs[i]!, stage.weight, r, ctx);
    }
    return { relevance: r, output: tf.sum(a, 1) };
  } finally {
    for (const s of stages) tf.dispose([s.weight, ...(s.bias ? [s.bias] : [])]);
  }
}
