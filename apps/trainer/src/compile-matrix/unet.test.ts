// Issue 20's matrix: the U-Net of the segmentation experiment, compiled vs eager after 100 steps on each
// backend (its own file: convolutions on tfjs's cpu backend are the slowest case of the matrix).
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy } from '@logitlab/losses';
import { UNetSmall } from '@logitlab/models';
import { describeMatrix, matrixCase, randomLoader } from './harness';

describeMatrix('U-Net, 100 steps', [
  matrixCase({
    // 8x8 images, width 2: the experiment's net, small; Adam and clipping by norm as the experiment trains it
    name: 'U-Net (segmentation), Adam, clip by norm',
    model: () => new UNetSmall({ classes: 3, width: 2, height: 8, imageWidth: 8 }),
    data: () => randomLoader(10, [8, 8, 1], [8, 8], 3, 2, 31),
    epochs: 20,
    optimizer: () => tf.train.adam(0.01),
    options: { loss: crossEntropy, gradClip: { maxNorm: 1 } },
  }),
]);
