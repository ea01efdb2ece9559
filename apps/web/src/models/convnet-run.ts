import * as tf from '@tensorflow/tfjs-core';
import type { MnistConvNet } from '@logitlab/models';
import { MNIST_MEAN, MNIST_STD } from '@logitlab/datasets';
import { exclusive } from '../app';
import { argmax } from '../lib/heads';
import { convnetStages, type Stage } from './activations';
import { explainOutput } from './explainer';
import type { ZooEntry } from './zoo';

export interface ConvnetRun {
  /** Each model's ten outputs, in the order of `models`. */
  outputs: number[][];
  /** The explained class and its relevance map, with conservation and the backend that computed it. */
  relevance: { digit: number; values: Float32Array; total: number; should: number; backend: string };
  /** The chosen model's layers for the drawing. */
  stages: Stage[];
  /** fc1 + relu of the weights ood.json measured (the distance check's layer), or null when they are not in use. */
  features: Float32Array | null;
}

export interface ConvnetRequest {
  /** The model whose output is explained, and the one ood.json measured (if in use). */
  chosen: ZooEntry<MnistConvNet> | undefined;
  measured: ZooEntry<MnistConvNet> | undefined;
  method: string;
  composite: string;
  /** The pinned class, or null for the chosen model's top prediction. */
  digit: number | null;
}

/** Runs every head on one drawing (in the convnet's coding), explains the chosen one and reads its layers. */
export function runConvnets(models: Array<ZooEntry<MnistConvNet>>, coded: Float32Array, req: ConvnetRequest): Promise<ConvnetRun> {
  const { chosen, measured } = req;
  return exclusive(async () => {
    const x = tf.tensor4d(coded, [1, 28, 28, 1]);
    try {
      const ys = models.map((e) => e.model.call(x));
      const values = (await Promise.all(ys.map((y) => y.data()))).map((v) => Array.from(v));
      tf.dispose(ys);
      const digit = req.digit ?? argmax(values[models.indexOf(chosen!)] ?? []);
      const rel = chosen
        ? await explainOutput(chosen.model, x, {
            method: req.method,
            target: digit,
            // pixel 0 and 1 in the convnet's coding: the blank baseline and LRP's zB box
            baseline: -MNIST_MEAN / MNIST_STD,
            bounds: [-MNIST_MEAN / MNIST_STD, (1 - MNIST_MEAN) / MNIST_STD],
            composite: req.composite || undefined,
          })
        : { relevance: new Float32Array(784), total: 0, should: 0, backend: tf.getBackend() };
      const inside: Stage[] = chosen ? await convnetStages(chosen.model, x) : [];
      const penultimate = measured === chosen ? inside : measured ? await convnetStages(measured.model, x) : [];
      return {
        outputs: values,
        relevance: { digit, values: rel.relevance, total: rel.total, should: rel.should, backend: rel.backend },
        stages: inside,
        // fc1 + relu, the layer make-ood.mjs measured
        features: penultimate[4]?.values ?? null,
      };
    } finally {
      x.dispose();
    }
  });
}
