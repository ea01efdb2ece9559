import { registerLrpLayer } from '@logitlab/explain';
// by the package's name, not a relative path: the built subpath then shares the main entry's classes
// (a bundled copy of Sum would be registered, and the imported graphs' Sum layers not be found)
import { Clip, GlobalAvgPool2d, LeakyReLU, Sum, Upsample } from '@logitlab/onnx';
import { globalPoolMap, sumMap } from './maps';

/**
 * Tells @logitlab/explain how LRP sees the layers only imported graphs have (safe to call again):
 * a residual `Sum` and global average pooling are linear maps of the 'pool' family (relevance split in
 * proportion to the summands / pixels), LeakyReLU and Clip pass relevance through like ReLU, nearest
 * upsampling follows its gradient (the copies' relevance adds up). Concat, Reshape, Transpose and Pad
 * are not layers but steps of the graph: relevance follows their gradient, which splits it by slices.
 * Sub / Mul / Div (`Elementwise`, `ConstantOp`) get no rule: LRP refuses them by name.
 */
export function registerOnnxLrpLayers(): void {
  registerLrpLayer(Sum, { family: 'pool', linearMap: () => sumMap });
  registerLrpLayer(GlobalAvgPool2d, { family: 'pool', linearMap: () => globalPoolMap });
  registerLrpLayer(LeakyReLU, { passThrough: true });
  registerLrpLayer(Clip, { passThrough: true });
  registerLrpLayer(Upsample, { followGradient: true });
}
