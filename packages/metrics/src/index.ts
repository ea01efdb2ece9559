export { MetricInputError, MetricAbortedError, MissingMasksError } from './errors';
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
export {
  regionPerturbation,
  faithfulnessCorrelation,
  monotonicity,
  type RegionPerturbationOptions,
  type RegionPerturbationResult,
  type FaithfulnessCorrelationOptions,
  type MonotonicityOptions,
  type MonotonicityResult,
} from './families/faithfulness';
export { maxSensitivity, localLipschitzEstimate, type MaxSensitivityOptions, type LocalLipschitzOptions } from './families/robustness';
export { pointingGame, attributionLocalisation } from './families/localisation';
export { sparseness, entropy } from './families/complexity';
export { randomLogit, type RandomLogitOptions, type RandomLogitResult } from './families/randomisation';
export {
  completeness,
  inputInvariance,
  type CompletenessOptions,
  type CompletenessResult,
  type InputInvarianceOptions,
  type InputInvarianceResult,
} from './families/axiomatic';
export type { ExplainFn, PerImageResult } from './families/maps';
export {
  explanationMetrics,
  metricFamilies,
  selectMetrics,
  type MetricContext,
  type MetricEntry,
  type MetricFamily,
} from './families/registry';
