export { importOnnx, supportedOperators, OPSET_RANGE, type ImportOptions } from './import-onnx';
export { GraphModule, type ImportReport } from './graph-module';
export { OnnxError, OnnxImportError } from './errors';
export { Sum } from './layers/sum';
export { ConstantOp, Elementwise, type BinaryOp } from './layers/elementwise';
export { LeakyReLU, Clip } from './layers/activations';
export { GlobalAvgPool2d, Upsample } from './layers/pooling';
export { DepthwiseConv2d, type DepthwiseConv2dOptions } from './layers/depthwise';
