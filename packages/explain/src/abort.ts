import { ExplainAbortedError } from './errors';

/**
 * Throws ExplainAbortedError when `signal` is aborted. The long loops (integrated gradients' steps,
 * SmoothGrad's samples, occlusion's window batches) call it between passes, never while the gradient
 * tape records, so what they made is freed by their tf.tidy on the way out.
 */
export function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted)
    throw new ExplainAbortedError(`${where} was aborted${signal.reason instanceof Error ? `: ${signal.reason.message}` : ''}`, {
      cause: signal.reason,
    });
}
