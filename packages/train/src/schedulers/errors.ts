import { TrainError } from '../errors';

/** A scheduler was given bad options, stepped past its end, or not started. */
export class SchedulerError extends TrainError {
  override name = 'SchedulerError';
}
