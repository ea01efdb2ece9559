import { gradCam as run, type GradCamUpsample } from '../gradcam';
import type { AttributionMethod } from './method';

export const gradCam: AttributionMethod<{ layer?: string; upsample?: GradCamUpsample }> = {
  name: 'gradCam',
  label: 'Grad-CAM',
  summary: 'relu(sum_c mean(dS/dA_c) A_c) of a convolution layer, upsampled to the input',
  options: [
    { name: 'layer', meaning: "the convolution layer's dotted name ('conv2')" },
    {
      name: 'upsample',
      default: "'bilinear'",
      meaning: "PyTorch's bilinear stretch, or 'receptiveField': each cell on its receptive field's centre",
    },
  ],
  conserves: 'none',
  attribute: (session, x, { layer, upsample }) => run(session, x, layer, upsample),
};
