import type * as tf from '@tensorflow/tfjs-core';
import { canonize, hasBatchNorm } from '../canonize';
import { checkComposite, type Composite, type CompositeName, type CompositeOptions, namedComposite } from '../composites';
import { lrpHook } from '../lrp';
import { backward, forwardScores, type Session } from '../session';
import type { AttributionMethod, MethodAttribution } from './method';

type LrpOptions = CompositeOptions & { composite?: CompositeName | Composite };

function attribute(session: Session, x: tf.Tensor, options: LrpOptions): MethodAttribution {
  const { composite: c = 'epsilonPlus' } = options;
  const composite = typeof c === 'string' ? namedComposite(c, options) : c;
  checkComposite(composite, session.names);
  const target = forwardScores(session, x).target;
  const canon = hasBatchNorm(session.model) ? canonize(session.model, x, session.names) : null;
  try {
    const { grad, scores } = backward(session, x, () => lrpHook(composite, canon), true, target);
    return { relevance: grad, scores, reference: scores.explained, composite: composite.name ?? 'custom' };
  } finally {
    canon?.dispose();
  }
}

export const lrpMethod: AttributionMethod<LrpOptions> = {
  name: 'lrp',
  label: 'LRP',
  summary: "layer-wise relevance propagation: each layer's rule (the composite) redistributes the score onto its inputs",
  options: [
    { name: 'composite', default: "'epsilonPlus'", meaning: 'a named composite or your own `Composite`' },
    { name: 'epsilon', default: '1e-6', meaning: "LRP-epsilon's epsilon" },
    { name: 'gamma', default: '0.25', meaning: "LRP-gamma's gamma" },
    { name: 'bounds', default: 'none', meaning: "zB's input box `[low, high]` (required by `epsilonGammaBox`, `deepTaylor`)" },
  ],
  conserves: 'score',
  attribute,
};
