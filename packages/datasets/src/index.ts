export { DatasetError, IdxFormatError, ChecksumError, DataNotFoundError, DownloadError, DatasetInputError } from './errors';
export type { IdxFormatReason, DownloadAttempt } from './errors';
export type { ImageSet } from './image-set';
export { syntheticDigits } from './synthetic/synthetic-digits';
export type { SyntheticDigitsOptions } from './synthetic/synthetic-digits';
export { DataLoader } from './loader/data-loader';
export type { Batch, DataLoaderOptions, LoaderData } from './loader/data-loader';
export { normalize, scaleTo, compose, MNIST_MEAN, MNIST_STD } from './loader/transforms';
export type { Transform } from './loader/transforms';
