import { ChecksumError, DownloadError, IdxFormatError } from '../errors';
import type { DownloadAttempt } from '../errors';
import { LowSpeedWatch } from './low-speed';

export interface DownloadProgress {
  file: string;
  url: string;
  /** Bytes received so far in this attempt. */
  loaded: number;
  /** From Content-Length when the server sends it. */
  total: number | undefined;
  /** 0 for the first try of a URL, 1.. for retries. */
  attempt: number;
}

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export interface DownloadOptions {
  mirrors: readonly string[];
  fetch: FetchLike;
  /** Abort a request when no bytes arrive for this long (connect or mid-body). */
  timeoutMs: number;
  /**
   * Abort a request that has not finished after this long, however steadily bytes arrive (a server
   * dripping a byte at a time never trips timeoutMs). That mirror is then skipped, not retried.
   * Undefined: scaled by the expected size (Content-Length, else maxBytes): see scaledDeadlineMs.
   */
  deadlineMs: number | undefined;
  /**
   * curl's --speed-limit and --speed-time: abort a request whose average rate over the last
   * `speedTimeMs` is under `speedLimit` bytes/s; that mirror is skipped, not retried.
   */
  speedLimit: number;
  speedTimeMs: number;
  /** Most bytes one file may have: a larger Content-Length, or a body that grows past it, moves to the next mirror. */
  maxBytes: number;
  /**
   * Refuse plain-http URLs (except loopback): set when the file has no known checksum, so that nothing
   * on the network path can substitute it.
   */
  requireHttps: boolean;
  /** Extra tries per mirror after transient failures (network errors, timeouts, 5xx, truncated bodies). */
  retries: number;
  /** First backoff delay; doubles with each retry. */
  backoffMs: number;
  onProgress?: (p: DownloadProgress) => void;
  /** Throws ChecksumError or IdxFormatError for bytes that must not be used. */
  verify: (bytes: Uint8Array, url: string) => Promise<void>;
}

/** A failure worth retrying on the same mirror. */
class TransientError extends Error {}
/** A failure that retrying the same URL will not fix (404, wrong content): go to the next mirror. */
class PermanentError extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The default deadline for a file of `bytes`: a minute plus the time it takes at 8 KiB/s, eight times
 * the low-speed limit's rate. A file's 10 MB then gets 21 minutes, its 10 KB labels one; the low-speed
 * limit abandons a slower mirror long before.
 */
export function scaledDeadlineMs(bytes: number): number {
  return 60_000 + Math.ceil((bytes * 1000) / (8 * 1024));
}

async function fetchOnce(url: string, file: string, attempt: number, options: DownloadOptions): Promise<Uint8Array> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let overDeadline = false;
  let tooSlow: string | undefined;
  const started = Date.now();
  let deadlineMs = options.deadlineMs ?? scaledDeadlineMs(options.maxBytes);
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const setDeadline = (ms: number) => {
    deadlineMs = ms;
    clearTimeout(deadline);
    deadline = setTimeout(
      () => {
        overDeadline = true;
        controller.abort();
      },
      Math.max(0, ms - (Date.now() - started)),
    );
  };
  setDeadline(deadlineMs);
  const watch = new LowSpeedWatch(options.speedLimit, options.speedTimeMs, (rate) => {
    tooSlow = `too slow: ${rate.toFixed(1)} bytes/s over the last ${options.speedTimeMs} ms, under the ${options.speedLimit} bytes/s limit`;
    controller.abort();
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), options.timeoutMs);
  };
  // a mirror past its deadline or under the speed limit is skipped: retrying it would wait as long again
  const abandoned = (loaded: number) =>
    new PermanentError(
      tooSlow ? `${tooSlow} (${loaded} bytes received)` : `not finished within the ${deadlineMs} ms deadline (${loaded} bytes received)`,
    );
  arm();
  try {
    let res: Response;
    try {
      res = await options.fetch(url, { signal: controller.signal });
    } catch (e) {
      if (overDeadline || tooSlow) throw abandoned(0);
      throw new TransientError(controller.signal.aborted ? `no response within ${options.timeoutMs} ms` : `request failed: ${describe(e)}`);
    }
    if (!res.ok) {
      const msg = `HTTP ${res.status} ${res.statusText}`.trim();
      await res.body?.cancel().catch(() => undefined);
      if (res.status === 408 || res.status === 429 || res.status >= 500) throw new TransientError(msg);
      throw new PermanentError(msg);
    }
    // with Content-Encoding the length header counts encoded bytes, not what the body yields
    const lengthHeader = res.headers.get('content-length');
    const total = lengthHeader !== null && !res.headers.get('content-encoding') ? Number(lengthHeader) : undefined;
    if (total !== undefined && total > options.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new PermanentError(`Content-Length ${total} exceeds the ${options.maxBytes}-byte cap for ${file}`);
    }
    // the size is known now: scale the deadline to it rather than to the cap
    if (options.deadlineMs === undefined && total !== undefined && Number.isFinite(total)) setDeadline(scaledDeadlineMs(total));
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    options.onProgress?.({ file, url, loaded, total, attempt });
    if (!res.body) throw new TransientError('response has no body');
    const reader = res.body.getReader();
    try {
      for (;;) {
        arm();
        const { done, value } = await reader.read();
        if (done) break;
        loaded += value.length;
        watch.update(loaded);
        if (loaded > options.maxBytes) {
          controller.abort();
          throw new PermanentError(`body exceeds the ${options.maxBytes}-byte cap for ${file}`);
        }
        chunks.push(value);
        options.onProgress?.({ file, url, loaded, total, attempt });
      }
    } catch (e) {
      if (e instanceof PermanentError) throw e;
      if (overDeadline || tooSlow) throw abandoned(loaded);
      throw new TransientError(
        controller.signal.aborted
          ? `stalled: no data for ${options.timeoutMs} ms after ${loaded} bytes`
          : `body interrupted after ${loaded} bytes: ${describe(e)}`,
      );
    }
    if (total !== undefined && Number.isFinite(total) && loaded !== total) {
      throw new TransientError(`truncated body: ${loaded} of ${total} bytes`);
    }
    const bytes = new Uint8Array(loaded);
    let off = 0;
    for (const c of chunks) {
      bytes.set(c, off);
      off += c.length;
    }
    return bytes;
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
    watch.stop();
  }
}

/** Plain http is refused where requireHttps, except on loopback (nothing on a network path can change it). */
function insecure(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false; // fetch reports a malformed URL itself
  }
  if (u.protocol !== 'http:') return false;
  return !(u.hostname === 'localhost' || u.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(u.hostname));
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
}

/**
 * Fetches `file` from the first mirror that yields verified bytes. Transient failures are retried with
 * exponential backoff; a 404, a checksum mismatch or bytes that are not the expected IDX move on to the
 * next mirror. Nothing is written here: the caller stores the verified bytes atomically.
 */
export async function downloadVerified(file: string, options: DownloadOptions): Promise<Uint8Array> {
  const attempts: DownloadAttempt[] = [];
  let lastChecksumError: ChecksumError | undefined;
  let checksumFailures = 0;
  for (const mirror of options.mirrors) {
    const url = `${mirror.endsWith('/') ? mirror : `${mirror}/`}${file}`;
    if (options.requireHttps && insecure(url)) {
      attempts.push({ url, error: 'skipped: plain http without a known checksum for this file could be substituted in transit' });
      continue;
    }
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      if (attempt > 0) await sleep(options.backoffMs * 2 ** (attempt - 1));
      try {
        const bytes = await fetchOnce(url, file, attempt, options);
        try {
          await options.verify(bytes, url);
        } catch (e) {
          if (e instanceof ChecksumError) {
            lastChecksumError = e;
            checksumFailures++;
          }
          if (e instanceof ChecksumError || e instanceof IdxFormatError) throw new PermanentError(e.message);
          throw e;
        }
        return bytes;
      } catch (e) {
        if (e instanceof PermanentError) {
          attempts.push({ url, error: e.message });
          break;
        }
        if (e instanceof TransientError) {
          attempts.push({ url, error: e.message });
          continue;
        }
        throw e;
      }
    }
  }
  // every mirror served the wrong bytes: that is the more precise error
  if (lastChecksumError && checksumFailures === attempts.length) throw lastChecksumError;
  const list = attempts.map((a) => `  ${a.url}: ${a.error}`).join('\n');
  throw new DownloadError(`could not download ${file} from any of ${options.mirrors.length} mirror(s):\n${list}`, file, attempts);
}
