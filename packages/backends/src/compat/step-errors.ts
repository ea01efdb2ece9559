import { LogitlabError } from '@logitlab/core';

/** A recorded step cannot replay as asked (another backend, a disposed plan, a runtime scalar without a value). */
export class PlanGuardError extends LogitlabError {
  override name = 'PlanGuardError';
}
