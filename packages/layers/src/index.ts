export { Module, withForwardHook, forwardHookActive, moduleStructureVersion, type ForwardHook, type StateDict, type Slot } from './module';
export { summaryRows, type SummaryOptions, type SummaryRow } from './describe';
export {
  LayerError,
  ShapeError,
  StateDictError,
  OptionError,
  SafetensorsError,
  ModeError,
  DtypeError,
  ModuleDisposedError,
  DisposedInputError,
} from './errors';
export { manualSeed, getRngState, setRngState, nextUint32, nextFloat, randUniform, randNormal } from './random';
export { kaimingUniform, biasUniform } from './init';
export { Linear, type LinearOptions } from './linear';
export { Conv2d, type Conv2dOptions } from './conv2d';
export { convPad, explicitPad, type NhwcPad, type Pair } from './conv-utils';
export { MaxPool2d, AvgPool2d, type Pool2dOptions, type AvgPool2dOptions } from './pooling';
export { SumPool1d, SumPool2d } from './sumpool';
export { ReLU, Sigmoid, Tanh, Identity, Softmax, LogSoftmax } from './activations';
export { Flatten, type FlattenOptions } from './flatten';
export { Dropout, Dropout2d } from './dropout';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batchnorm';
export { Sequential } from './sequential';
export { saveSafetensors, loadSafetensors, type SafetensorsMetadata } from './safetensors';
export { readSafetensorsHeader, type SafetensorsHeader, type SafetensorsEntry } from './safetensors-header';
export { moduleToSafetensors, loadSafetensorsInto } from './state-io';
export { warnIfTraining, assertEvalMode, modulesInTrainMode } from './eval-mode';
// The user-facing switches of the pitfall warnings (one shared state in @logitlab/core), where users look for them.
export { setPitfallWarnings, pitfallWarningsEnabled, setPitfallWarningSink, resetPitfallWarnings, type PitfallSink } from '@logitlab/core';
