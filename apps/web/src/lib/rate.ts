/** A step count at a time (ms, any clock). */
export interface Tick {
  step: number;
  time: number;
}

/**
 * Steps per second over the last `seconds` (not since the start, so a backend switch or a pause
 * shows in the number within a few seconds). 0 until two ticks are at different times.
 */
export function recentRate(ticks: readonly Tick[], seconds = 5): number {
  const last = ticks.at(-1);
  if (!last) return 0;
  let i = ticks.length - 1;
  while (i > 0 && last.time - (ticks[i - 1]?.time ?? 0) <= seconds * 1000) i--;
  const first = ticks[i];
  if (!first || last.time <= first.time) return 0;
  return (last.step - first.step) / ((last.time - first.time) / 1000);
}
