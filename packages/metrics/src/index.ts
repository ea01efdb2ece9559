export { MetricInputError, MetricAbortedError } from './errors';
export { argmaxRows, type Numeric } from './input';
export {
  accuracy,
  confusionMatrix,
  classificationReport,
  type ClassOptions,
  type ClassScores,
  type ClassificationReport,
} from './classification';
export { expectedCalibrationError, type CalibrationBin, type CalibrationOptions, type CalibrationResult } from './calibration';
export { hammingLoss, subsetAccuracy, multiLabelReport, type MultiLabelOptions, type MultiLabelReport } from './multilabel';
export { segmentationReport, meanIoU, pixelAccuracy, type SegmentationOptions, type SegmentationReport } from './segmentation';
export { mse, mae, reconstructionError, type ReconstructionOptions } from './regression';
export {
  conservationError,
  pixelFlipping,
  type ConservationEntry,
  type ConservationReport,
  type PixelFlippingOptions,
  type PixelFlippingResult,
  type ScoreFn,
} from './explanations';
export { relevanceMassAccuracy, relevanceRankAccuracy, spearman, type GroundTruthResult } from './ground-truth';
export { pca2d, pcaProject, pcaLift, tsne2d, type Pca2d, type ProjectionOptions, type TsneOptions } from './latent';
export { RunningMean, MeterGroup } from './meters';
export { divergingColor, heatmapRgba, grayLevel, grayRgba, maxAbs, type Rgb } from './colormap';
export { digitLikeShare, flatImage, knnAccuracy, nearestDistance } from './samples';
