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

// setImmediate where there is one (Node: no 1 ms clamp, so dozens of points per batch cost nothing measurable)
const nextTask = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * A point where a long synchronous-compute loop (explainDataset's batches, methods and metrics) may be
 * stopped: it lets the event loop run once, since a Node process's signal handlers (and a page's
 * cancel button) run only between tasks and the loop is otherwise one chain of microtasks that never
 * gives them the chance, then throws the signal's reason if it was aborted. No-op without a signal.
 */
export async function abortPoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await nextTask();
  signal.throwIfAborted();
}
