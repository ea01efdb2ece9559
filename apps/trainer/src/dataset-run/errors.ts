import { LogitlabError } from '@logitlab/core';

// Typed errors of dataset runs (explain --dataset, merge); the CLI prints each as one line with its
// name. Each is raised before anything is written, so none of them changes a finished batch.

/** --shard I/N or JOB_COMPLETION_INDEX / JOB_COMPLETIONS that do not name a shard. */
export class ShardSpecError extends LogitlabError {
  override readonly name = 'ShardSpecError';
}

/** Shards (or a resumed output directory) from another model, method list, metric list, seed or data. */
export class ShardMismatchError extends LogitlabError {
  override readonly name = 'ShardMismatchError';
}

/** merge: a shard index missing, given twice, or a shard whose batches are not all finished. */
export class IncompleteShardsError extends LogitlabError {
  override readonly name = 'IncompleteShardsError';
}

/** A batch file that does not parse or does not hold what its manifest promises. */
export class CorruptBatchError extends LogitlabError {
  override readonly name = 'CorruptBatchError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is corrupted (${detail}); delete it and run the same command again to recompute that batch`);
  }
}
