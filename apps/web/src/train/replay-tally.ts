import { isReplayable, replayableLike } from '@logitlab/core';
import type { ReplayReport } from './protocol';

// fit's compiled step tells why it runs eagerly once per reason, through console.warn in this form:
// fit takes no onFallback and returns no stats, so this line is the only reason it gives.
const TOLD = /^compiled step: runs eagerly: (.*)$/s;

/**
 * Watches whether fit replays the worker's training step. The loss goes to fit through `counted`,
 * which counts its calls: a replay runs the recorded kernels and skips the loss's JavaScript, so a
 * step with no call was replayed. That is the very thing the `replayable` mark permits, so the count
 * stays honest however fit decides; reasons come from the mark itself and from fit's warnings.
 */
export class ReplayTally {
  private calls = 0;
  private steps = 0;
  private replayed = 0;
  private readonly fallbacks: string[] = [];

  /** `loss`, counting its calls; marked replayable exactly when `loss` is (fit's 'auto' steps an unmarked loss eagerly). */
  counted<F extends (...args: never[]) => unknown>(loss: F): F {
    if (!isReplayable(loss)) this.fallback("the recipe's loss is not marked replayable, so fit's compile: 'auto' steps it eagerly");
    const call = loss as (...args: Parameters<F>) => ReturnType<F>;
    const counting = (...args: Parameters<F>): ReturnType<F> => {
      this.calls++;
      return call(...args);
    };
    return replayableLike(loss, counting as unknown as F);
  }

  /** Records fit's told fallback reasons until the returned function is called (warnings still print). */
  listen(): () => void {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      const told = typeof args[0] === 'string' ? TOLD.exec(args[0]) : null;
      if (told?.[1]) this.fallback(told[1]);
      warn.apply(console, args);
    };
    return () => {
      console.warn = warn;
    };
  }

  fallback(reason: string): void {
    if (!this.fallbacks.includes(reason)) this.fallbacks.push(reason);
  }

  /** Closes one optimiser step (call it once per step, after the step: fit's onBatchEnd). */
  endStep(): void {
    this.steps++;
    if (this.calls === 0) this.replayed++;
    this.calls = 0;
  }

  report(): ReplayReport {
    return { steps: this.steps, replayed: this.replayed, fallbacks: [...this.fallbacks] };
  }
}
