import { gradCam as run } from '../gradcam';
import type { AttributionMethod } from './method';

export const gradCam: AttributionMethod<{ layer?: string }> = {
  name: 'gradCam',
  label: 'Grad-CAM',
  summary: 'relu(sum_c mean(dS/dA_c) A_c) of a convolution layer, bilinearly upsampled to the input',
  options: [{ name: 'layer', meaning: "the convolution layer's dotted name ('conv2')" }],
  conserves: 'none',
  attribute: (session, x, { layer }) => run(session, x, layer),
};
