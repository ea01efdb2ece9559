import { useBackend } from '@logitlab/backends';

/**
 * Switches the tests to `backend` on one thread. Where the native addon is not built here, returns the
 * reason, which the caller reports as a visible skip (LOGITLAB_REQUIRE_NATIVE=1, CI's native job, makes it
 * a failure); any other backend that cannot start fails.
 */
export async function enterBackend(backend: 'cpu' | 'wasm' | 'native', what: string): Promise<string | undefined> {
  try {
    await useBackend(backend, { threads: 1 });
    return undefined;
  } catch (e) {
    if (backend !== 'native' || process.env['LOGITLAB_REQUIRE_NATIVE'] === '1') throw e;
    const why = e instanceof Error ? e.message : String(e);
    console.warn(`SKIPPED ${what} on native: ${why}`);
    return why;
  }
}
