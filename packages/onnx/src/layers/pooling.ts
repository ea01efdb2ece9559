import { replayable } from '@logitlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { Module, ShapeError } from '@logitlab/layers';

/** PyTorch's AdaptiveAvgPool2d(1) on NHWC: the mean over H and W, kept as [N, 1, 1, C]. A linear map. */
export class GlobalAvgPool2d extends Module {
  override get typeName(): string {
    return 'AdaptiveAvgPool2d';
  }

  override extraRepr(): string {
    return 'output_size=1';
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4) throw new ShapeError(`AdaptiveAvgPool2d expects NHWC input [N, H, W, C], got [${x.shape.join(', ')}]`);
    return tf.mean(x, [1, 2], true);
  }
}

/** Nearest-neighbour upsampling by whole factors (PyTorch's nn.Upsample(mode='nearest') / F.interpolate) on NHWC. */
export class Upsample extends Module {
  constructor(readonly scale: [number, number]) {
    super();
  }

  override get typeName(): string {
    return 'Upsample';
  }

  override extraRepr(): string {
    return `scale_factor=(${this.scale.join('.0, ')}.0), mode='nearest'`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4) throw new ShapeError(`Upsample expects NHWC input [N, H, W, C], got [${x.shape.join(', ')}]`);
    const [, h, w] = x.shape as [number, number, number, number];
    // without align_corners or half-pixel centres tfjs picks floor(out * in / size): ONNX's asymmetric + floor
    return tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [h * this.scale[0], w * this.scale[1]], false, false);
  }
}

// tensor-only forwards: a compiled step or evaluation may replay them (a host read inside falls back, with its reason)
replayable(GlobalAvgPool2d.prototype.forward);
replayable(Upsample.prototype.forward);
