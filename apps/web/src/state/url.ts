/**
 * The view in the URL, so a link reproduces it: `#<tab>?backend=wasm&draw-classify=...`. Writes use
 * history.replaceState (no history entry per stroke, no hashchange); only a tab change navigates.
 */
export function parseHash(hash: string): { tab: string; params: URLSearchParams } {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  return q < 0 ? { tab: raw, params: new URLSearchParams() } : { tab: raw.slice(0, q), params: new URLSearchParams(raw.slice(q + 1)) };
}

export function formatHash(tab: string, params: URLSearchParams): string {
  const q = params.toString();
  return `#${tab}${q ? `?${q}` : ''}`;
}

export function readParam(key: string): string | null {
  return parseHash(location.hash).params.get(key);
}

/** Sets (or, for null, removes) URL parameters without navigating. */
export function writeParams(values: Record<string, string | null>): void {
  const { tab, params } = parseHash(location.hash);
  for (const [k, v] of Object.entries(values)) {
    if (v === null) params.delete(k);
    else params.set(k, v);
  }
  history.replaceState(history.state, '', formatHash(tab, params));
}

/** Navigates to another tab, keeping every parameter. */
export function goToTab(tab: string): void {
  location.hash = formatHash(tab, parseHash(location.hash).params);
}
