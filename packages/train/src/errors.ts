import { LogitlabError } from '@logitlab/core';

/** Base of every error thrown by @logitlab/train. */
export class TrainError extends LogitlabError {
  override name = 'TrainError';
}

/**
 * The training loss became NaN or +-Infinity. `step` (global, 0-based), `epoch` (0-based) and `batch`
 * (0-based index within the epoch) name the FIRST step whose loss was not finite. Losses are read from
 * the device every `checkEvery` steps, so by the time this is thrown up to checkEvery - 1 further
 * steps may have run (and the weights may already hold NaN); use `checkEvery: 1` to stop at once.
 */
export class NonFiniteLossError extends TrainError {
  override name = 'NonFiniteLossError';
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly batch: number,
    readonly loss: number,
  ) {
    super(
      `loss became ${loss} at epoch ${epoch}, step ${step} (batch ${batch} of the epoch); expected a finite loss. Lower the learning rate or check the inputs, head and loss pairing.`,
    );
  }
}

/** A checkpoint could not be read, does not fit the model / optimizer, or the storage failed. */
export class CheckpointError extends TrainError {
  override name = 'CheckpointError';
}

/**
 * A checkpoint's weights or optimizer state hold NaN or +-Infinity: `tensor` is the first such tensor
 * (`model.<key>` or `optimizer.<index>`), `index` the flat index and `value` the value found. Thrown
 * instead of writing one (`when: 'write'`: a diverged run is never saved over good checkpoints) and
 * instead of loading one (`when: 'load'`: resuming would continue a diverged run).
 */
export class NonFiniteCheckpointError extends CheckpointError {
  override name = 'NonFiniteCheckpointError';
  constructor(
    readonly tensor: string,
    readonly index: number,
    readonly value: number,
    readonly when: 'write' | 'load',
  ) {
    super(
      when === 'write'
        ? `${tensor} holds ${value} at index ${index}; expected finite weights, so no checkpoint was written (the run diverged: lower the learning rate or check the inputs)`
        : `checkpoint tensor ${tensor} holds ${value} at index ${index}; expected finite weights (a diverged run's checkpoint is refused)`,
    );
  }
}

/**
 * A checkpoint was written for another architecture than the model it is loaded into (e.g. a
 * `--resume` pointed at the wrong run). Thrown before any weight is touched. `expected` is the
 * `arch` the loader was given, `found` the one stored in the checkpoint.
 */
export class ArchitectureMismatchError extends CheckpointError {
  override name = 'ArchitectureMismatchError';
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(
      `checkpoint holds a ${found}, but this model is a ${expected}; expected a checkpoint of the same architecture${firstDifference(expected, found)}`,
    );
  }
}

/** For multi-line architectures (model reprs): where they first differ, so the message points at the layer. */
function firstDifference(expected: string, found: string): string {
  const a = expected.split('\n');
  const b = found.split('\n');
  if (a.length === 1 && b.length === 1) return '';
  const i = a.findIndex((line, k) => line !== b[k]);
  const at = i === -1 ? a.length : i;
  return ` (first difference at line ${at + 1}: "${(b[at] ?? '').trim()}" in the checkpoint, "${(a[at] ?? '').trim()}" here)`;
}

/** `evaluate` was given data that yielded no batch: every metric would be 0 / 0. */
export class EmptyDataError extends TrainError {
  override name = 'EmptyDataError';
  constructor(readonly length: number | undefined) {
    super(
      `evaluate's data yielded no batches${length === undefined ? '' : ` (its length is ${length})`}; expected at least one, since a mean over no samples is NaN (an empty dataset, or a loader with dropLast and fewer samples than batchSize)`,
    );
  }
}
