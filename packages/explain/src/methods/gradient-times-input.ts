import { gradientMethod } from '../gradients';
import type { AttributionMethod } from './method';

export const gradientTimesInput: AttributionMethod = {
  name: 'gradientTimesInput',
  label: 'gradient × input',
  summary: 'x * df/dx (equals LRP-0 on a ReLU network)',
  options: [],
  conserves: 'none',
  attribute: (session, x) => gradientMethod(session, x, 'gradientTimesInput'),
};
