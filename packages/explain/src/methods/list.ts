import { gradCam } from './grad-cam';
import { gradient } from './gradient';
import { gradientTimesInput } from './gradient-times-input';
import { integratedGradients } from './integrated-gradients';
import { lrpMethod } from './lrp';
import type { AttributionMethod } from './method';
import { occlusion } from './occlusion';
import { sensitivity } from './sensitivity';
import { smoothGrad } from './smooth-grad';

/** The built-in methods in menu order (the CLI's --method choices, the web's menus, the README's table). */
export const builtinMethods: readonly AttributionMethod<never>[] = [
  lrpMethod,
  gradient,
  sensitivity,
  gradientTimesInput,
  integratedGradients,
  smoothGrad,
  gradCam,
  occlusion,
];
