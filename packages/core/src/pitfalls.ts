/**
 * One-warning-per-call-site pitfall guards. The state lives on globalThis under a registry symbol,
 * so every logitlab package (and every copy of one) shares one switch and one sink:
 * setPitfallWarnings(false), re-exported by layers and losses where users look for it, silences every guard.
 */
export type PitfallSink = (message: string, kind: string) => void;

interface PitfallState {
  enabled: boolean;
  sink: PitfallSink | null;
  seen: Set<string>;
}

const KEY = Symbol.for('logitlab.pitfalls');
const holder = globalThis as unknown as Record<symbol, PitfallState | undefined>;

function pitfallState(): PitfallState {
  let s = holder[KEY];
  if (!s) {
    s = { enabled: true, sink: null, seen: new Set() };
    holder[KEY] = s;
  }
  return s;
}

/** Turns every logitlab pitfall warning on or off (default on). */
export function setPitfallWarnings(enabled: boolean): void {
  pitfallState().enabled = enabled;
}

export function pitfallWarningsEnabled(): boolean {
  return pitfallState().enabled;
}

/** Routes warnings to `sink` (tests, UIs); null restores console.warn. */
export function setPitfallWarningSink(sink: PitfallSink | null): void {
  pitfallState().sink = sink;
}

/** Forgets which call sites already warned, so they warn again. */
export function resetPitfallWarnings(): void {
  pitfallState().seen.clear();
}

// Frames from library directories (src/ in dev, dist/ when bundled) are skipped so the key is the
// user's call site; colocated *.test.* files count as user code. Each package that raises pitfall
// warnings registers its directory with registerPitfallSource() (this one registers itself).
const libraryDirs = new Set<string>();

function frameDir(frame: string): string {
  const m = /\(?((?:file:\/\/|\/|[A-Za-z]:\\|https?:\/\/)[^():]*?)[^/\\():]*:\d+:\d+\)?\s*$/.exec(frame);
  return m?.[1] ?? '';
}

/** Marks the calling module's directory as library code, so callSite() looks past its frames. */
export function registerPitfallSource(): void {
  const dir = frameDir(new Error().stack?.split('\n')[2] ?? '');
  if (dir) libraryDirs.add(dir);
}

registerPitfallSource();

const isUserFrame = (location: string) => !libraryDirs.has(frameDir(location)) || /\.test\.[cm]?[jt]s/.test(location);

/** The first stack frame outside the library packages: where the user called us. */
export function callSite(): string {
  const fast = callSiteFromFrames();
  if (fast !== undefined) return fast;
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const outside = frames.find(isUserFrame);
  return (outside ?? frames[frames.length - 1] ?? '').trim();
}

interface V8CallSite {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  toString(): string;
}
type V8Error = ErrorConstructor & {
  captureStackTrace?: (target: object, skip?: (...args: never[]) => unknown) => void;
  prepareStackTrace?: (error: Error, frames: V8CallSite[]) => unknown;
};

/**
 * callSite() on V8 (Node, Chromium) from structured frames: only the chosen frame is formatted, as the
 * same `at ...` line the string stack holds. Formatting every frame of `new Error().stack` cost ~13 us a
 * call, and the losses' pitfall checks ask on every step. Undefined elsewhere (the string path runs).
 */
function callSiteFromFrames(): string | undefined {
  const E = Error as V8Error;
  if (typeof E.captureStackTrace !== 'function') return undefined;
  const original = E.prepareStackTrace;
  let frames: unknown;
  try {
    E.prepareStackTrace = (_error, structured) => structured;
    const target: { stack?: unknown } = {};
    E.captureStackTrace(target, callSite);
    frames = target.stack;
  } finally {
    E.prepareStackTrace = original;
  }
  if (!Array.isArray(frames) || frames.length === 0) return undefined;
  const list = frames as V8CallSite[];
  const location = (f: V8CallSite) => `(${f.getFileName() ?? ''}:${f.getLineNumber() ?? 0}:${f.getColumnNumber() ?? 0})`;
  const outside = list.find((f) => isUserFrame(location(f)));
  return `at ${(outside ?? list[list.length - 1]!).toString()}`;
}

/** True when a warning of `kind` at this call site may still be emitted (checks are skipped otherwise). */
export function shouldCheck(kind: string, site: string): boolean {
  const s = pitfallState();
  return s.enabled && !s.seen.has(`${kind}@${site}`);
}

/** Emits `message` once per (kind, call site). */
export function warnPitfall(kind: string, site: string, message: string): void {
  const s = pitfallState();
  const key = `${kind}@${site}`;
  if (!s.enabled || s.seen.has(key)) return;
  s.seen.add(key);
  if (s.sink) s.sink(message, kind);
  else console.warn(`[logitlab] ${message}`);
}

/** Records that (kind, call site) was inspected and found fine, so it is not inspected again. */
export function markPitfallChecked(kind: string, site: string): void {
  pitfallState().seen.add(`${kind}@${site}`);
}
