import type * as tf from '@tensorflow/tfjs-core';

/** What explainDataset reads from a loader: @logitlab/datasets' `DataLoader` (unshuffled) is one. */
export interface BatchSource extends Iterable<{ x: tf.Tensor; y: tf.Tensor }> {
  readonly count: number;
  readonly batchSize: number;
}

/** One image explained by one method. */
export interface SampleResult {
  /** Position of the image in the loader's order. */
  index: number;
  /** The method's label ('lrp:epsilonPlus'). */
  method: string;
  /** The image's class label (y), or null when y is not one class index per image. */
  label: number | null;
  /** The class explained (the predicted class unless `target: 'label'`). */
  target: number;
  /** The explained score (the target's pre-head logit). */
  score: number;
  /** One value per selected metric; NaN where undefined for this image (written as null in JSON). */
  metrics: Record<string, number>;
  /** Statistics of the map: sum, sum of |R|, share of positive relevance, and captum's convergence delta relative to the score. */
  relevance: { sum: number; absSum: number; positiveShare: number; conservationRelError: number };
  /** The map itself, when `keepMaps` is set. */
  map?: Float32Array;
}

/** Everything computed for one batch: all methods' results for its images, sample-major then method. */
export interface BatchResult {
  batch: number;
  /** Index of the batch's first image. */
  start: number;
  count: number;
  samples: SampleResult[];
}

export interface DatasetProgress {
  /** Images explained (by every method) in this call, and how many it will explain. */
  done: number;
  total: number;
  imagesPerSecond: number;
  /** Seconds left at the rate so far; NaN before the first batch. */
  etaSeconds: number;
}

/** Seconds spent, summed over the batches of one call. */
export interface DatasetTimings {
  /** Per method label: its own explanation of the batch (the maps every metric scores). */
  explain: Record<string, number>;
  /** Per method label, per metric name: the metric's computation, re-explanations and forward passes included. */
  metrics: Record<string, Record<string, number>>;
}
