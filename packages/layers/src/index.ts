export { Module, type StateDict, type Slot } from './module';
export { LayerError, ShapeError, StateDictError } from './errors';
