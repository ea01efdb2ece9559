import { status } from '../app';

/**
 * Runs a page's (async) render at most once at a time; requests that arrive while one runs
 * collapse into a single re-run. Marks the page busy meanwhile (read by the e2e tests).
 */
export class Coalescer {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly fn: () => Promise<void>,
    private readonly root: HTMLElement,
  ) {}

  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.root.dataset.busy = 'true';
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.fn();
        } while (this.again);
      } catch (e) {
        // Shown, not thrown: a failed render must not become an unhandled rejection.
        status(`render failed: ${(e as Error).message}`, true);
        console.error(e);
      } finally {
        this.running = null;
        delete this.root.dataset.busy;
      }
    })();
    return this.running;
  }
}

/** Bumps the page's render counter (the e2e tests wait on it). */
export function markRendered(root: HTMLElement): void {
  root.dataset.renders = String(Number(root.dataset.renders ?? 0) + 1);
}
