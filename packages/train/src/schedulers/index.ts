export type { LrScheduler, SchedulerState } from './types';
export { SchedulerError } from './errors';
export { stepLR, type StepLROptions } from './step-lr';
export { cosineAnnealingLR, type CosineAnnealingLROptions } from './cosine';
export { oneCycleLR, type OneCycleLROptions } from './one-cycle';
export { reduceLROnPlateau, type ReduceLROnPlateauOptions } from './plateau';
