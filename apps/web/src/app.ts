/**
 * State shared by the pages: which backend is active and a simple event bus, so a backend switch
 * or newly trained weights make every visible page recompute.
 */
export type AppEvent = 'backend' | 'weights';

type Listener = (detail: string) => void;
const listeners = new Map<AppEvent, Set<Listener>>();

export function on(event: AppEvent, fn: Listener): void {
  if (!listeners.has(event)) listeners.set(event, new Set());
  listeners.get(event)?.add(fn);
}

export function emit(event: AppEvent, detail = ''): void {
  for (const fn of listeners.get(event) ?? []) fn(detail);
}

/** One line at the bottom of the page (also read by the e2e tests). */
export function status(text: string, isError = false): void {
  const el = document.getElementById('status-line');
  if (!el) return;
  el.textContent = text;
  el.classList.toggle('error', isError);
}

/**
 * Serialises work on the tf engine (inference, training steps, backend switches) so a switch never
 * lands in the middle of a computation.
 */
let chain: Promise<unknown> = Promise.resolve();
export function exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
  const run = chain.then(() => fn());
  chain = run.catch(() => undefined);
  return run;
}
