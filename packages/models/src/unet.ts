import * as tf from '@tensorflow/tfjs-core';
import { Conv2d, MaxPool2d, Module, Sequential, ReLU } from '@logitlab/layers';
import { ModelOptionsError } from './errors';
import { expectImages } from './input';
import { replayable } from '@logitlab/core';

export interface UNetSmallOptions {
  /** Output channels of the final 1x1 conv: one logit per class per pixel. */
  classes?: number;
  /** Channels of the first level; each level below doubles it. */
  width?: number;
  /** Input size (height, width); both must be divisible by 4. */
  height?: number;
  imageWidth?: number;
}

/** conv3x3 (padding 1) + ReLU, twice: the U-Net building block. */
function doubleConv(inC: number, outC: number): Sequential {
  return new Sequential(new Conv2d(inC, outC, 3, { padding: 1 }), new ReLU(), new Conv2d(outC, outC, 3, { padding: 1 }), new ReLU());
}

/**
 * Nearest-neighbour 2x upsampling. tf.image.resizeNearestNeighbor has gradient kernels on cpu, wasm
 * and webgl, unlike some transposed-conv gradients, and resize + conv avoids checkerboard artefacts.
 */
function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
}

/**
 * A two-level U-Net (Ronneberger et al. 2015, shrunk) for [N, 28, 56, 1] two-digit images:
 * down1 (1->w) | pool | down2 (w->2w) | pool | bottom (2w->4w) | up x2, concat down2 | up2 (6w->2w) |
 * up x2, concat down1 | up1 (3w->w) | 1x1 conv -> classes. Outputs per-pixel LOGITS [N, 28, 56, classes]
 * (no softmax / sigmoid: train with crossEntropy, class axis last).
 */
export class UNetSmall extends Module {
  readonly classes: number;
  readonly inputShape: [number, number, number];
  readonly down1: Sequential;
  readonly down2: Sequential;
  readonly bottom: Sequential;
  readonly up2: Sequential;
  readonly up1: Sequential;
  readonly head: Conv2d;
  private readonly pool: MaxPool2d;

  override get typeName(): string {
    return 'UNetSmall';
  }

  constructor({ classes = 11, width = 8, height = 28, imageWidth = 56 }: UNetSmallOptions = {}) {
    super();
    for (const [k, v] of Object.entries({ classes, width })) {
      if (!Number.isInteger(v) || v < 1) throw new ModelOptionsError(`UNetSmall: ${k} must be a positive integer, got ${v}`);
    }
    if (height % 4 !== 0 || imageWidth % 4 !== 0) {
      throw new ModelOptionsError(`UNetSmall: height and imageWidth must be divisible by 4 (two 2x poolings), got ${height}x${imageWidth}`);
    }
    this.classes = classes;
    this.inputShape = [height, imageWidth, 1];
    this.down1 = this.registerModule('down1', doubleConv(1, width));
    this.down2 = this.registerModule('down2', doubleConv(width, 2 * width));
    this.bottom = this.registerModule('bottom', doubleConv(2 * width, 4 * width));
    this.up2 = this.registerModule('up2', doubleConv(6 * width, 2 * width));
    this.up1 = this.registerModule('up1', doubleConv(3 * width, width));
    this.head = this.registerModule('head', new Conv2d(width, classes, 1));
    this.pool = this.registerModule('pool', new MaxPool2d(2));
  }

  forward(input: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const x = expectImages(input, this.inputShape, 'UNetSmall');
      const d1 = this.down1.call(x) as tf.Tensor4D;
      const d2 = this.down2.call(this.pool.call(d1)) as tf.Tensor4D;
      const b = this.bottom.call(this.pool.call(d2)) as tf.Tensor4D;
      const u2 = this.up2.call(tf.concat([upsample2(b), d2], 3)) as tf.Tensor4D;
      const u1 = this.up1.call(tf.concat([upsample2(u2), d1], 3)) as tf.Tensor4D;
      return this.head.call(u1) as tf.Tensor4D;
    });
  }
}

// tensor-only forwards: a compiled forward (evaluate's default compile: 'auto') may replay them
replayable(UNetSmall.prototype.forward);
