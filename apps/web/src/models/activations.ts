import * as tf from '@tensorflow/tfjs-core';
import type { MnistConvNet } from '@logitlab/models';

/** One stage of the convnet as the layer view draws it: `maps` channels of h x w (fc layers: h = 1). */
export interface Stage {
  name: string;
  h: number;
  w: number;
  maps: number;
  /** Channel-major values: map c's pixel (y, x) at c * h * w + y * w + x. */
  values: Float32Array;
}

/** NHWC -> channel-major, so each map is one contiguous block. */
const channelMajor = (t: tf.Tensor4D): tf.Tensor => tf.transpose(t, [0, 3, 1, 2]);

/**
 * The convnet's intermediate activations for one image, in eval mode, stage by stage as the model's
 * forward computes them (conv, pool + relu, conv, pool + relu, fc1 + relu, fc2 = logits).
 * Uses the model's public layers, so it reads the same weights the heads use.
 */
export async function convnetStages(model: MnistConvNet, x: tf.Tensor4D): Promise<Stage[]> {
  const tensors = tf.tidy(() => {
    const c1 = model.conv1.call(x) as tf.Tensor4D;
    const p1 = tf.relu(tf.maxPool(c1, 2, 2, 'valid'));
    const c2 = model.conv2.call(p1) as tf.Tensor4D;
    const p2 = tf.relu(tf.maxPool(c2, 2, 2, 'valid'));
    const flat = tf.reshape(tf.transpose(p2, [0, 3, 1, 2]), [1, 320]);
    const f1 = tf.relu(model.fc1.call(flat));
    const f2 = model.fc2.call(f1);
    return [channelMajor(c1), channelMajor(p1 as tf.Tensor4D), channelMajor(c2), channelMajor(p2 as tf.Tensor4D), f1, f2];
  });
  try {
    const data = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
    const shapes: Array<[string, number, number, number]> = [
      ['conv1 (10 maps, 24 x 24)', 24, 24, 10],
      ['pool + relu (12 x 12)', 12, 12, 10],
      ['conv2 (20 maps, 8 x 8)', 8, 8, 20],
      ['pool + relu (4 x 4)', 4, 4, 20],
      ['fc1 + relu (50 units)', 1, 1, 50],
      ['fc2: logits (10)', 1, 1, 10],
    ];
    return shapes.map(([name, h, w, maps], i) => ({ name, h, w, maps, values: data[i] ?? new Float32Array() }));
  } finally {
    tf.dispose(tensors);
  }
}
