import * as tf from '@tensorflow/tfjs-core';
import { ExplainOptionsError } from './errors';
import type { Attribution } from './gradients';
import { backward, forwardScores, type Session } from './session';

/** How a Grad-CAM map reaches the input's size. */
export type GradCamUpsample = 'bilinear' | 'receptiveField';

/** Where map cell i sits on the input, per axis [y, x]: its receptive field is centred on input pixel start + jump * i. */
export interface CellGeometry {
  start: [number, number];
  jump: [number, number];
}

interface Spatial {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number] | 'same';
  dilation?: [number, number];
}
const pair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every(Number.isFinite);
const isSpatial = (m: unknown): m is Spatial => {
  const s = m as Partial<Spatial> | null;
  return s !== null && pair(s.kernelSize) && pair(s.stride) && (s.padding === 'same' || pair(s.padding));
};

/**
 * The receptive-field geometry of the last of `modules`, a chain of layers called in this order
 * (any module with kernelSize, stride and padding counts: Conv2d and the pools; others are skipped).
 * Per layer: start += ((k - 1) * d / 2 - p) * jump, jump *= stride (the standard recursion).
 */
export function cellGeometry(modules: readonly unknown[]): CellGeometry {
  const start: [number, number] = [0, 0];
  const jump: [number, number] = [1, 1];
  for (const m of modules.filter(isSpatial)) {
    for (const a of [0, 1] as const) {
      const k = m.kernelSize[a];
      const d = m.dilation?.[a] ?? 1;
      const p = m.padding === 'same' ? ((k - 1) * d) / 2 : m.padding[a];
      start[a] += (((k - 1) * d) / 2 - p) * jump[a];
      jump[a] *= m.stride[a];
    }
  }
  return { start, jump };
}

/** [size, cells] matrix that interpolates cells placed at start + jump * i linearly onto pixels 0..size-1, clamped at the ends. */
export function cellResampler(size: number, cells: number, start: number, jump: number): Float32Array {
  const r = new Float32Array(size * cells);
  for (let p = 0; p < size; p++) {
    const u = Math.min(cells - 1, Math.max(0, (p - start) / jump));
    const i0 = Math.floor(u);
    const i1 = Math.min(i0 + 1, cells - 1);
    const t = u - i0;
    r[p * cells + i0] = (r[p * cells + i0] ?? 0) + 1 - t;
    r[p * cells + i1] = (r[p * cells + i1] ?? 0) + t;
  }
  return r;
}

/** cam [N, h, w, 1] onto [N, H, W, 1] by the separable resamplers of `g`. */
function upsampleByGeometry(cam: tf.Tensor4D, hh: number, ww: number, g: CellGeometry): tf.Tensor4D {
  const [n, h, w] = cam.shape;
  const ry = tf.tensor2d(cellResampler(hh, h, g.start[0], g.jump[0]), [hh, h]);
  const rx = tf.tensor2d(cellResampler(ww, w, g.start[1], g.jump[1]), [ww, w]);
  const rows = tf.matMul(tf.reshape(cam, [n * h, w]), rx, false, true); // [N*h, W]
  const cols = tf.reshape(tf.transpose(tf.reshape(rows, [n, h, ww]), [1, 0, 2]), [h, n * ww]);
  const out = tf.matMul(ry, cols); // [H, N*W]
  return tf.reshape(tf.transpose(tf.reshape(out, [hh, n, ww]), [1, 0, 2]), [n, hh, ww, 1]);
}

/**
 * Grad-CAM (Selvaraju et al. 2017) on the output A of the named layer: relu(sum_c alpha_c A_c) with
 * alpha_c the spatial mean of d(score)/dA_c, repeated over input channels and brought to the input's
 * size either bilinearly (default: PyTorch's interpolate with align_corners=False, as pytorch-grad-cam),
 * which stretches the map over the whole input, or by 'receptiveField': each cell placed on the centre
 * of its receptive field (the layers called up to the named one, in order), so the border that
 * unpadded convolutions lose stays where it is (conv2 of the MNIST example net: cells at 6.5 + 2i, not 1.25 + 3.5i).
 */
export function gradCam(session: Session, x: tf.Tensor, layer: string | undefined, upsample: GradCamUpsample = 'bilinear'): Attribution {
  if (upsample !== 'bilinear' && upsample !== 'receptiveField')
    throw new ExplainOptionsError(`gradCam upsample must be 'bilinear' or 'receptiveField', got '${String(upsample)}'`);
  const names = [...session.names.values()].filter(Boolean);
  if (layer === undefined)
    throw new ExplainOptionsError(`gradCam needs layer: the name of a convolution layer, one of ${names.join(', ')}`);
  const module = [...session.names].find(([, n]) => n === layer)?.[0];
  if (!module) throw new ExplainOptionsError(`unknown layer '${layer}', expected one of ${names.join(', ')}`);
  if (x.rank !== 4) throw new ExplainOptionsError(`gradCam needs image input [N, H, W, C], got [${x.shape.join(', ')}]`);
  let activation: tf.Tensor | null = null;
  let gradient: tf.Tensor | null = null;
  let calls = 0;
  // the modules called up to and including the layer, for its receptive-field geometry
  const chain: unknown[] = [];
  let reached = false;
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
        if (!reached) chain.push(call.module);
        if (call.module !== module) return y;
        // counted, not refused here: throwing while the tape records would leak its tensors
        calls++;
        reached = true;
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
      const up =
        upsample === 'receptiveField'
          ? upsampleByGeometry(cam, hh, ww, cellGeometry(chain))
          : tf.image.resizeBilinear(cam, [hh, ww], false, true);
      return c === 1 ? up : tf.tile(up, [1, 1, 1, c]);
    });
    return { relevance, scores, reference: scores.explained };
  } finally {
    for (const t of [activation as tf.Tensor | null, gradient as tf.Tensor | null]) t?.dispose();
  }
}
