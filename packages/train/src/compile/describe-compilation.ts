import type { FitCompilation } from '../types';

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * One line on how fit ran `steps` steps, from its own counts: "compiled: 419 of 420 steps replayed (1 trace),
 * 1 eager step", with the reasons for eager steps, or "eager: <why fit does not compile>".
 */
export function describeCompilation(c: FitCompilation, steps: number): string {
  if (!c.compiled) return `eager: ${c.reason ?? 'fit does not compile this run'} (${count(steps, 'step')})`;
  // a reason is why some step ran eagerly (a trace refused while the loss's first-call checks read the host, a guard)
  const why = c.fallbacks.length ? `; eager for: ${c.fallbacks.join('; ')}` : '';
  const eager = count(c.eager, 'eager step');
  if (c.replays === 0) return `eager so far: ${eager}, none replayed yet${why}`;
  return `compiled: ${c.replays} of ${count(steps, 'step')} replayed (${count(c.traces, 'trace')}), ${eager}${why}`;
}
