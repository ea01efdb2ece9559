import { gradientMethod } from '../gradients';
import type { AttributionMethod } from './method';

export const gradient: AttributionMethod = {
  name: 'gradient',
  label: 'gradient ∂f/∂x',
  summary: 'the signed gradient of the score',
  options: [],
  conserves: 'none',
  attribute: (session, x) => gradientMethod(session, x, 'gradient'),
};
