import { UsageError } from '../errors';

// Typed one-line errors of dataset runs (explain --dataset, merge). Each is raised before anything is
// written, so none of them changes a finished batch.

/** --shard I/N or JOB_COMPLETION_INDEX / JOB_COMPLETIONS that do not name a shard. */
export class ShardSpecError extends UsageError {
  override readonly name = 'ShardSpecError';
}

/** Shards (or a resumed output directory) from another model, method list, metric list, seed or data. */
export class ShardMismatchError extends UsageError {
  override readonly name = 'ShardMismatchError';
}

/** merge: a shard index missing, given twice, or a shard whose batches are not all finished. */
export class IncompleteShardsError extends UsageError {
  override readonly name = 'IncompleteShardsError';
}

/** A batch file that does not parse or does not hold what its manifest promises. */
export class CorruptBatchError extends UsageError {
  override readonly name = 'CorruptBatchError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is corrupted (${detail}); delete it and run the same command again to recompute that batch`, 1);
  }
}
