import { gradientMethod } from '../gradients';
import type { AttributionMethod } from './method';

export const sensitivity: AttributionMethod = {
  name: 'sensitivity',
  label: 'sensitivity (∂f/∂x)²',
  summary: 'the squared gradient: what would change the score, not what made it',
  options: [],
  conserves: 'none',
  attribute: (session, x) => gradientMethod(session, x, 'sensitivity'),
};
