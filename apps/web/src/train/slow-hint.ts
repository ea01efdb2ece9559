/**
 * The hint under a run that was slow to start. It states the time measured to the first step and,
 * when this session has timed another backend on the same model, how many times sooner that one
 * started; otherwise it only suggests wasm, claiming no speed it never measured.
 */

// Under this, waiting for the first step is not worth a remark on any backend.
const SLOW_FIRST_STEP_MS = 2000;

/**
 * @param backend the backend the run used
 * @param firstStepMs measured from pressing Train to the first step's loss
 * @param measured first-step times (ms) of this model on other backends, measured in this session
 */
export function slowBackendHint(backend: string, firstStepMs: number, measured: ReadonlyMap<string, number>): string | null {
  if (!(firstStepMs >= SLOW_FIRST_STEP_MS)) return null;
  const took = `The first step took ${(firstStepMs / 1000).toFixed(1)} s on ${backend}`;
  // The backend that started soonest, if any started sooner than this one.
  const faster = [...measured]
    .filter(([name, ms]) => name !== backend && ms > 0 && ms < firstStepMs)
    .reduce<[string, number] | undefined>((best, e) => (best && best[1] <= e[1] ? best : e), undefined);
  if (faster) {
    const [name, ms] = faster;
    return `${took}; on ${name} it took ${(ms / 1000).toFixed(1)} s in this page (${(firstStepMs / ms).toFixed(0)}x sooner): pick ${name} in the header.`;
  }
  if (backend === 'wasm') return `${took}.`;
  return `${took}. Try wasm (the header's backend menu) and train again: this hint will then compare the two.`;
}
