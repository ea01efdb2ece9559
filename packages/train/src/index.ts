export { fit, type FitOptions, type ValidationOptions } from './fit';
export { trainStep, type StepOptions, type GradClip, type WeightDecay } from './step';
export { compileStep, CompiledStep, type CompileOptions, type CompiledStepStats } from './compile/compiled-step';
export { compileForward, CompiledForward, type CompileForwardOptions, type CompiledForwardStats } from './compile/compiled-forward';
// marks a loss or forward of your own as tensor-only, so fit's default compile: 'auto' compiles it
export { replayable } from '@logitlab/core';
export { PauseController } from './pause';
export {
  stepLR,
  cosineAnnealingLR,
  oneCycleLR,
  reduceLROnPlateau,
  SchedulerError,
  type LrScheduler,
  type SchedulerState,
  type StepLROptions,
  type CosineAnnealingLROptions,
  type OneCycleLROptions,
  type ReduceLROnPlateauOptions,
} from './schedulers';
export type { TrainingState } from './training-state';
export { evaluate, type EvaluateOptions, type EvaluateResult } from './evaluate';
export {
  TrainError,
  NonFiniteLossError,
  CheckpointError,
  NonFiniteCheckpointError,
  ArchitectureMismatchError,
  EmptyDataError,
} from './errors';
export type {
  Batch,
  BatchSource,
  ForwardFn,
  LossFn,
  BatchMetric,
  StepRecord,
  EpochLogs,
  TrainContext,
  Callback,
  FitResult,
  FitCompilation,
  StopReason,
} from './types';
export { batchAccuracy } from './batch-metrics';
export { describeCompilation } from './compile/describe-compilation';
export { memoryStorage, type CheckpointStorage } from './storage';
export {
  saveCheckpoint,
  loadCheckpoint,
  readCheckpointInfo,
  latestCheckpoint,
  listCheckpoints,
  checkpointName,
  type CheckpointInfo,
  type LoadCheckpointOptions,
} from './checkpoint';
export { checkpoint, type CheckpointOptions } from './callbacks/checkpoint';
export { earlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping';
export { metricLogger, type LineSink, type MetricLoggerOptions } from './callbacks/metric-logger';
export { progress, progressTracker, formatProgress, type ProgressEvent, type ProgressOptions } from './callbacks/progress';
