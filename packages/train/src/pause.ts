/**
 * Pauses a running `fit` between steps: `pause()` takes effect at the next step boundary, where fit
 * awaits (no busy loop, the event loop stays free for a UI) until `resume()`. Aborting fit's
 * `signal` while paused ends the wait, and fit stops with stopReason 'aborted'.
 */
export class PauseController {
  private isPaused = false;
  private waiters: Array<() => void> = [];

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Resolves once resumed (at once when not paused), or when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    if (!this.isPaused || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        signal?.removeEventListener('abort', wake);
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      };
      this.waiters.push(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}
