// @logitlab/backends/compat: the ONE place outside the backends proper that reads or writes tfjs-core
// internals. It imports only tfjs-core's public entry and @logitlab/core, and selects no backend, so libraries
// (@logitlab/train) may depend on it without picking a backend for their users. Every internal it
// touches is listed in TFJS_INTERNALS and checked by compat.test.ts, which fails on a tfjs upgrade
// that moves or renames one (or on any version other than the one tested).
export { TESTED_TFJS_VERSION, TFJS_INTERNALS, CompatError } from './internals';
export { setOptimizerLearningRate, optimizerLearningRate } from './learning-rate';
export { readBiasCorrection, writeBiasCorrection, BIAS_CORRECTION_FIELDS, type BiasCorrection } from './bias-correction';
export { variableGradsReleasing } from './gradients';
export { registeredVariables } from './registered-variables';
export { setOptimizerIterations } from './iterations';
export { backendDataIds } from './data-ids';
export { traceStep, type RuntimeScalar, type TraceOptions, type TraceResult } from './step-trace';
export { StepPlan, type PlanStats, type PlanSpec, type SlotSpec, type OpSpec } from './step-plan';
export { registerPlanLowering, type PlanExecutor, type PlanLowering } from './step-executor';
export { PlanGuardError } from './step-errors';
