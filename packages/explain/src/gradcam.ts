import * as tf from '@tensorflow/tfjs-core';
import { ExplainOptionsError } from './errors';
import type { Attribution } from './gradients';
import { backward, forwardScores, type Session } from './session';

/**
 * Grad-CAM (Selvaraju et al. 2017) on the output A of the named layer: relu(sum_c alpha_c A_c) with
 * alpha_c the spatial mean of d(score)/dA_c, upsampled bilinearly to the input (PyTorch's
 * interpolate with align_corners=False) and repeated over input channels.
 */
export function gradCam(session: Session, x: tf.Tensor, layer: string | undefined): Attribution {
  const names = [...session.names.values()].filter(Boolean);
  if (layer === undefined)
    throw new ExplainOptionsError(`gradCam needs layer: the name of a convolution layer, one of ${names.join(', ')}`);
  const module = [...session.names].find(([, n]) => n === layer)?.[0];
  if (!module) throw new ExplainOptionsError(`unknown layer '${layer}', expected one of ${names.join(', ')}`);
  if (x.rank !== 4) throw new ExplainOptionsError(`gradCam needs image input [N, H, W, C], got [${x.shape.join(', ')}]`);
  let activation: tf.Tensor | null = null;
  let gradient: tf.Tensor | null = null;
  let calls = 0;
  const capture = tf.customGrad(((a: tf.Tensor) => ({
    value: tf.clone(a),
    gradFunc: (dy: tf.Tensor) => {
      gradient?.dispose();
      gradient = tf.keep(tf.clone(dy));
      return dy;
    },
  })) as never) as (a: tf.Tensor) => tf.Tensor;
  try {
    const { grad, scores } = backward(
      session,
      x,
      () => (call, input, forward) => {
        const y = forward(input);
        if (call.module !== module) return y;
        // counted, not refused here: throwing while the tape records would leak its tensors
        calls++;
        activation?.dispose();
        activation = tf.keep(tf.clone(y));
        return capture(y);
      },
      false,
      forwardScores(session, x).target,
    );
    grad.dispose();
    if (calls > 1)
      throw new ExplainOptionsError(
        `gradCam layer '${layer}' runs ${calls} times in one forward pass; Grad-CAM needs a layer that runs once (one call's activation would be paired with another call's gradient)`,
      );
    const a = activation as tf.Tensor | null;
    const g = gradient as tf.Tensor | null;
    if (!a || !g || a.rank !== 4) {
      throw new ExplainOptionsError(
        `gradCam layer '${layer}' must produce [N, h, w, C] maps on the path to the score; got ${a ? `[${a.shape.join(', ')}]` : 'no output'}`,
      );
    }
    const [, hh, ww, c] = x.shape as [number, number, number, number];
    const relevance = tf.tidy(() => {
      const alpha = tf.mean(g, [1, 2], true);
      const cam = tf.relu(tf.sum(tf.mul(alpha, a), 3, true)) as tf.Tensor4D;
      const up = tf.image.resizeBilinear(cam, [hh, ww], false, true);
      return c === 1 ? up : tf.tile(up, [1, 1, 1, c]);
    });
    return { relevance, scores, reference: scores.explained };
  } finally {
    for (const t of [activation as tf.Tensor | null, gradient as tf.Tensor | null]) t?.dispose();
  }
}
