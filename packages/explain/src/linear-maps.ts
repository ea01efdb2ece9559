import type { Module } from '@logitlab/layers';
import { lrpSpecOf } from './lrp-registry';
import type { LinearMap, Params } from './lrp-spec';

export type { LinearMap, Params } from './lrp-spec';

/** The linear map of a layer registered as one (`registerLrpLayer`), with `params` replacing its own; null for any other module. */
export function linearMap(m: Module, params?: Params): LinearMap | null {
  const spec = lrpSpecOf(m);
  return spec && 'linearMap' in spec ? spec.linearMap(m, params) : null;
}
